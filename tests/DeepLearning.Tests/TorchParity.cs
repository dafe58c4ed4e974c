using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace DeepLearning.Tests;

/// <summary>
/// The parity tests' bridge to PyTorch: runs a snippet on named arrays (each a double leaf tensor needing gradients, so
/// float runs are compared with the exact answer for the same float inputs, not a second rounding of it) and returns what
/// it computed, with every leaf's gradient.
/// </summary>
internal static class TorchParity
{
    /// <summary>
    /// Runs <paramref name="code"/>, which sees the arrays as 1-D tensors by name and sets <c>y</c> (and may set a dict
    /// <c>extra</c> of further arrays); returns <c>y</c> flattened, each leaf's <c>NAME.grad</c> (all but <c>g</c>, the
    /// gradient fed back) and the extras.
    /// </summary>
    public static JsonElement Run(string code, params (string Name, IEnumerable<double> Values)[] tensors)
    {
        using var dir = new TempDirectory();
        string data = dir.File("data.json");
        File.WriteAllText(data, JsonSerializer.Serialize(tensors.ToDictionary(t => t.Name, t => t.Values.ToArray())));
        string script = $$"""
            import json, sys, torch
            import torch.nn.functional as F
            torch.set_num_threads(1)
            d = json.load(open(sys.argv[1]))
            {{string.Join("\n", tensors.Select(t => $"{t.Name} = torch.tensor(d['{t.Name}'], dtype=torch.float64, requires_grad=True)"))}}
            extra = {}
            {{code}}
            out = {'y': y.detach().flatten().tolist()}
            {{string.Join("\n", tensors.Where(t => t.Name != "g").Select(t => $"out['{t.Name}.grad'] = ({t.Name}.grad if {t.Name}.grad is not None else torch.zeros_like({t.Name})).flatten().tolist()"))}}
            for key, value in extra.items():
                out[key] = torch.as_tensor(value, dtype=torch.float64).detach().flatten().tolist()
            print(json.dumps(out))
            """;
        (int exit, string output) = PyTorch.Run("-c", script, data);
        exit.Should().Be(0, output);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    /// <summary>Each value within <paramref name="tolerance"/>·max(1, |PyTorch's|) of PyTorch's.</summary>
    public static void AssertClose(IEnumerable<double> ours, JsonElement theirs, double tolerance, string what)
    {
        double[] expected = [.. theirs.EnumerateArray().Select(e => e.GetDouble())];
        double[] actual = [.. ours];
        actual.Length.Should().Be(expected.Length, what);
        for (int i = 0; i < actual.Length; i++)
        {
            Math.Abs(actual[i] - expected[i]).Should().BeLessThanOrEqualTo(tolerance * Math.Max(1, Math.Abs(expected[i])), string.Create(CultureInfo.InvariantCulture, $"{what}[{i}]: ours {actual[i]:R}, PyTorch {expected[i]:R}"));
        }
    }

    /// <summary>A tensor's values sample by sample (row-major): what PyTorch's <c>view(m, …)</c> reads.</summary>
    public static IEnumerable<double> Rows<T>(Tensor<T> x)
        where T : struct, IFloatingPointIeee754<T>
        => Enumerable.Range(0, x.Rows).SelectMany(i => x.GetRow(i)).Select(v => double.CreateChecked(v));

    /// <summary>A span's values as doubles.</summary>
    public static IEnumerable<double> Values<T>(ReadOnlySpan<T> values)
        where T : struct, IFloatingPointIeee754<T>
        => [.. values.ToArray().Select(v => double.CreateChecked(v))];

    /// <summary>A rows×columns tensor of values in [−0.5, 0.5) from a seeded source.</summary>
    public static Tensor<T> Random<T>(int rows, int columns, int seed)
        where T : struct, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var x = new Tensor<T>(rows, columns);
        Span<T> values = x.AsSpan();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = T.CreateChecked(random.NextDouble() - 0.5);
        }

        return x;
    }
}
