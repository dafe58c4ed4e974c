using System.Globalization;
using DeepLearning;
using DeepLearning.Activations;
using DeepLearning.Losses;

namespace DigitTrainer;

/// <content>Each option's value, read and checked: one line saying what the value should be.</content>
internal sealed partial record TrainerOptions
{
    /// <summary>A value quoted for a message: control characters shown as '?', at most 60 characters.</summary>
    internal static string Quote(string value)
    {
        string shown = new([.. value.Select(c => char.IsControl(c) ? '?' : c)]);
        return "'" + (shown.Length > 60 ? shown[..28] + "…" + shown[^28..] : shown) + "'";
    }

    /// <summary>
    /// A file or folder option's value, checked before anything runs: not empty, not an option name (a forgotten value:
    /// <c>--save --epochs 3</c>), no control characters.
    /// </summary>
    private static string PathValue(string option, string value)
    {
        if (value.Length == 0)
        {
            throw new UsageException($"{option} needs a path; '' is empty.");
        }

        if (value.Any(char.IsControl))
        {
            throw new UsageException($"{option} {Quote(value)}: the path holds a control character (a line break?); give a plain path.");
        }

        return value.StartsWith('-')
            ? throw new UsageException($"{option} {Quote(value)}: looks like an option, not a path (was {option}'s value forgotten?); write ./{value} for a file of that name.")
            : value;
    }

    /// <summary>Splits --layers at the spaces outside parentheses: <c>"dense(100, relu) dropout(0.5)"</c> is two specs.</summary>
    private static string[] ParseLayers(string value)
    {
        var specs = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i <= value.Length; i++)
        {
            char c = i < value.Length ? value[i] : ' ';
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth == 0 && char.IsWhiteSpace(c))
            {
                if (value[start..i].Trim() is { Length: > 0 } spec)
                {
                    specs.Add(spec);
                }

                start = i + 1;
            }
        }

        return specs.Count > 0 && depth == 0
            ? [.. specs]
            : throw new UsageException($"--layers '{value}': {(depth != 0 ? "its parentheses do not match" : "no layer given")}; write e.g. \"dense(100,relu) dense(10)\".");
    }

    private static TrainerOptions AddMirror(TrainerOptions options, string value)
    {
        if (!Uri.TryCreate(value.EndsWith('/') ? value : value + "/", UriKind.Absolute, out Uri? uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            throw new UsageException($"--mirror '{value}' is not an http or https address.");
        }

        return options with { Mirrors = [.. options.Mirrors, uri] };
    }

    private static int[] ParseHidden(string value)
    {
        string[] parts = value.Split(',', StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int k = 0; k < parts.Length; k++)
        {
            if (!int.TryParse(parts[k], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[k]) || sizes[k] < 1)
            {
                throw new UsageException($"--hidden '{value}': '{parts[k]}' is not a layer size (a whole number of neurons, at least 1); write e.g. 128 or 300,100.");
            }
        }

        return sizes;
    }

    /// <summary>A number: the largest global norm, norm(N); else a spec of the clipping registry.</summary>
    private static DeepLearning.Clipping.IGradientClipping ParseClip(string value)
    {
        string spec = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double norm) ? $"norm({Invariant(norm)})" : value;
        return Registries.Clipping.TryCreate(spec, out var clipping, out string error) ? clipping! : throw new UsageException($"--clip: {error}");
    }

    private static IActivation ParseActivation(string value)
        => Registries.Activations.TryCreate(value, out IActivation? activation, out string error)
            ? activation!
            : throw new UsageException($"--activation: {error}");

    private static ILoss ParseLoss(string value)
        => Registries.Losses.TryCreate(value, out ILoss? loss, out string error)
            ? loss!
            : throw new UsageException($"--loss: {error}");

    private static string ParseOptimizer(string value)
        => Registries.Optimizers.TryCreate(value, out _, out string error) ? value : throw new UsageException($"--optimizer: {error}");


    private static string ParseBackend(string value) => value.ToLowerInvariant() switch
    {
        "auto" or "native" or "managed" => value.ToLowerInvariant(),
        _ => throw new UsageException($"--backend '{value}': expected auto, native or managed."),
    };

    private static string ParseInit(string value, string option)
        => (option == "--init" && value.Equals("auto", StringComparison.OrdinalIgnoreCase)) || Registries.Initializers.TryCreate(value, out _, out string error)
            ? value
            : throw new UsageException($"{option}: {(option == "--init" ? error.Replace("expected one of", "expected auto or one of", StringComparison.Ordinal) : error)}");

    private static int PositiveInt(string option, string value)
        => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1
            ? n
            : throw new UsageException($"{option} '{value}': expected a whole number of at least 1.");

    private static int NonNegativeInt(string option, string value)
        => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            ? n
            : throw new UsageException($"{option} '{value}': expected a whole number of at least 0.");

    private static int AnyInt(string option, string value)
        => int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n)
            ? n
            : throw new UsageException($"{option} '{value}': expected a whole number.");

    private static double PositiveDouble(string option, string value)
        => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && x > 0 && double.IsFinite(x)
            ? x
            : throw new UsageException($"{option} '{value}': expected a positive number such as 0.1.");

    private static double Momentum01(string option, string value)
        => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && x >= 0 && x < 1
            ? x
            : throw new UsageException($"{option} '{value}': expected a number in [0, 1), such as 0.9.");
}
