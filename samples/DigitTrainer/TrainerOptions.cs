using System.CommandLine;
using System.Globalization;
using DeepLearning.Activations;
using DeepLearning;
using DeepLearning.Losses;
using DeepLearning.Optimizers;

namespace DigitTrainer;

/// <summary>The trainer's command line, with the default of every option.</summary>
internal sealed record TrainerOptions
{
    private const string Modes = """
        DigitTrainer: train a network to read handwritten digits (MNIST), then report on it.

        Usage:
          DigitTrainer [options]                          train (and optionally save, plot, report)
          DigitTrainer predict --model FILE --image FILE  classify a photo or scan of one digit (PNG, JPEG, BMP, GIF,
                                                          WebP or PGM, up to 40 megapixels); shows the 28×28 image
                                                          it was turned into
          DigitTrainer predict --model FILE --index N     classify test image N
          DigitTrainer evaluate --model FILE              test accuracy of a saved model (.dlnn or .safetensors); a
                                                          safetensors file from PyTorch takes its architecture from
                                                          --hidden, --activation and --loss

        Data: the full MNIST from --data, else the cache, else a download; else the embedded 10,000-image subset.


        """;

    private const string Epilogue = """

        How predict --image prepares a picture: the paper's grey is the median of the border; ink is each pixel's distance
        from it towards the digit (dark ink on light paper is inverted); Otsu's threshold separates strokes from paper
        noise and the ink is stretched from it to the strokes' 99th percentile; the digit's box is scaled to 20 pixels on
        its longer side and its centre of mass put at the centre of 28×28, as MNIST was made.

        Textbook setup (Nielsen, chapter 1):
          --hidden 30 --activation sigmoid --loss quadratic --learning-rate 3.0 --batch-size 10 --epochs 30

        """;

    /// <summary>
    /// Every option, declared once: its name, what it does (with its default), the name of its value (null for a flag) and
    /// how its value is applied. System.CommandLine parses the command line from these declarations and writes --help from
    /// them; the apply functions check each value and say what is wrong in one line.
    /// </summary>
    private static readonly OptionDeclaration[] Declarations =
    [
        new("--data", "folder with the four MNIST files (raw or .gz)", "DIR", (o, v) => o with { DataDirectory = v }),
        new("--cache", "download cache (default $XDG_CACHE_HOME/deeplearning/mnist or ~/.cache/deeplearning/mnist)", "DIR", (o, v) => o with { CacheDirectory = v }),
        new("--offline", "never download", null, (o, _) => o with { Offline = true }),
        new("--mirror", "download from this base address instead of the public mirrors (repeatable)", "URL", (o, v) => AddMirror(o, v)),
        new("--train-limit", "train on the first N training images only", "N", (o, v) => o with { TrainLimit = PositiveInt("--train-limit", v) }),
        new("--hidden", "hidden layer sizes, e.g. 128 or 300,100 (default 800)", "SIZES", (o, v) => o with { Hidden = ParseHidden(v) }),
        new("--activation", "hidden activation, one of the list below (default relu)", "NAME", (o, v) => o with { Activation = ParseActivation(v) }),
        new("--loss", "a loss of the list below (default cross-entropy); the cross-entropies get a linear output layer (they take logits), the others sigmoid outputs", "NAME", (o, v) => o with { Loss = ParseLoss(v) }),
        new("--init", "weights: auto, or an initializer of the list below; auto is N(0,1) for sigmoid (the textbook's, biases too), He for relu and leaky_relu, Glorot otherwise (default auto)", "NAME", (o, v) => o with { Init = ParseInit(v) }),
        new("--optimizer", "gradient_descent (uses --learning-rate and --momentum) or another optimizer of the list below, with its own parameters, e.g. adam(0.001) (default gradient_descent)", "SPEC", (o, v) => o with { Optimizer = ParseOptimizer(v) }),
        new("--regularizer", "a penalty on the weights from the list below, e.g. l2(5) (default none)", "SPEC", (o, v) => o with { Regularizer = Registries.Regularizers.TryCreate(v, out var r, out string error) ? r : throw new UsageException($"--regularizer: {error}") }),
        new("--learning-rate", "ε of gradient descent (default 0.05)", "ε", (o, v) => o with { LearningRate = PositiveDouble("--learning-rate", v) }),
        new("--momentum", "μ, 0 for plain gradient descent (default 0.9 with cross-entropy, 0 otherwise)", "μ", (o, v) => o with { Momentum = Momentum01("--momentum", v) }),
        new("--batch-size", "samples per gradient step (default 64)", "N", (o, v) => o with { BatchSize = PositiveInt("--batch-size", v) }),
        new("--epochs", "passes over the training set (default 10)", "N", (o, v) => o with { Epochs = NonNegativeInt("--epochs", v) }),
        new("--seed", "seed of the weights and the shuffling (default 1)", "N", (o, v) => o with { Seed = AnyInt("--seed", v) }),
        new("--double", "compute in double instead of float", null, (o, _) => o with { UseDouble = true }),
        new("--backend", "matrix products: auto (the faster on this machine, timed once), native or managed (default: $DEEPLEARNING_BACKEND, else auto)", "NAME", (o, v) => o with { Backend = ParseBackend(v) }),
        new("--save", "save the trained model: .dlnn, or .safetensors for PyTorch (nn.Sequential names)", "FILE", (o, v) => o with { SavePath = v }),
        new("--export-onnx", "export the trained model to ONNX (.onnx), for ONNX Runtime", "FILE", (o, v) => o with { OnnxPath = v }),
        new("--plot", "plot the loss and test accuracy per epoch (.png)", "FILE", (o, v) => o with { PlotPath = v }),
        new("--report", "machine-readable summary (.json)", "FILE", (o, v) => o with { ReportPath = v }),
        new("--show", "misclassified test digits to draw (default 3)", "N", (o, v) => o with { Show = NonNegativeInt("--show", v) }),
        new("--model", "predict, evaluate: the saved model (.dlnn or .safetensors)", "FILE", (o, v) => o with { ModelPath = v }),
        new("--image", "predict: a picture of one digit", "FILE", (o, v) => o with { ImagePath = v }),
        new("--index", "predict: the test image to classify", "N", (o, v) => o with { Index = NonNegativeInt("--index", v) }),
    ];

    /// <summary>One option: its name, description, the name of its value (null for a flag) and how a value is applied.</summary>
    private sealed record OptionDeclaration(string Name, string Description, string? ValueName, Func<TrainerOptions, string, TrainerOptions> Apply);

    /// <summary>
    /// The help text: the modes, then every option as System.CommandLine writes it from <see cref="Declarations"/>, then
    /// the lists of activations, losses, initializers, optimizers and regularizers, read from the library's registries.
    /// </summary>
    public static string Help
    {
        get
        {
            (RootCommand command, _) = Command();
            using var written = new StringWriter();
            command.Parse("--help").Invoke(new InvocationConfiguration { Output = written, Error = written });
            string options = written.ToString();
            int start = options.IndexOf("Options:", StringComparison.Ordinal);
            return Modes + (start >= 0 ? options[start..] : options) + Epilogue + string.Join(
                Environment.NewLine,
                new (string Title, IEnumerable<string> Lines)[]
                {
                    ("Activations (--activation)", Registries.Activations.Describe()),
                    ("Losses (--loss)", Registries.Losses.Describe()),
                    ("Initializers (--init)", Registries.Initializers.Describe()),
                    ("Optimizers (--optimizer)", Registries.Optimizers.Describe()),
                    ("Regularizers (--regularizer)", Registries.Regularizers.Describe()),
                }.Select(section => $"{section.Title}:{Environment.NewLine}{string.Join(Environment.NewLine, section.Lines.Select(l => "  " + l))}{Environment.NewLine}"));
        }
    }

    /// <summary>The command built from <see cref="Declarations"/>: a string option per valued option (repeatable), a flag per flag.</summary>
    private static (RootCommand Command, Dictionary<OptionDeclaration, Option> Options) Command()
    {
        var command = new RootCommand("DigitTrainer: train a network to read handwritten digits (MNIST), then report on it.");
        var options = new Dictionary<OptionDeclaration, Option>();
        foreach (OptionDeclaration declaration in Declarations)
        {
            Option option = declaration.ValueName is null
                ? new Option<bool>(declaration.Name) { Description = declaration.Description }
                : declaration.Name == "--mirror"
                    ? new Option<string[]>(declaration.Name) { Description = declaration.Description, HelpName = declaration.ValueName, AllowMultipleArgumentsPerToken = false }
                    : new Option<string>(declaration.Name) { Description = declaration.Description, HelpName = declaration.ValueName };
            command.Options.Add(option);
            options[declaration] = option;
        }

        foreach (System.CommandLine.Help.HelpOption help in command.Options.OfType<System.CommandLine.Help.HelpOption>())
        {
            help.Action = new System.CommandLine.Help.HelpAction { MaxWidth = TrainerApp.Width };
        }

        return (command, options);
    }

    public bool Predict { get; init; }

    public bool Evaluate { get; init; }

    public string? OnnxPath { get; init; }

    public string? DataDirectory { get; init; }

    public string? CacheDirectory { get; init; }

    public bool Offline { get; init; }

    public IReadOnlyList<Uri> Mirrors { get; init; } = [];

    public int? TrainLimit { get; init; }

    public IReadOnlyList<int> Hidden { get; init; } = [800];

    public IActivation Activation { get; init; } = DeepLearning.Activations.Activation.ReLU;

    public ILoss Loss { get; init; } = DeepLearning.Losses.Loss.CrossEntropy;

    public string Init { get; init; } = "auto";

    /// <summary>The regularizer, or null.</summary>
    public DeepLearning.Regularization.IRegularizer? Regularizer { get; init; }

    /// <summary>The optimizer's spec; gradient_descent without parameters takes --learning-rate and --momentum.</summary>
    public string Optimizer { get; init; } = "gradient_descent";

    public double LearningRate { get; init; } = 0.05;

    public double? Momentum { get; init; }

    public int BatchSize { get; init; } = 64;

    public int Epochs { get; init; } = 10;

    public int Seed { get; init; } = 1;

    public bool UseDouble { get; init; }

    public string? Backend { get; init; }

    public string? SavePath { get; init; }

    public string? PlotPath { get; init; }

    public string? ReportPath { get; init; }

    public int Show { get; init; } = 3;

    public bool ShowHelp { get; init; }

    public string? ModelPath { get; init; }

    public string? ImagePath { get; init; }

    public int? Index { get; init; }

    /// <summary>The optimizer: gradient descent with --learning-rate and μ, or the --optimizer spec with its own parameters.</summary>
    public IOptimizer CreateOptimizer()
    {
        IOptimizer optimizer = Registries.Optimizers.Create(Optimizer);
        return optimizer is GradientDescent && !Optimizer.Contains('(', StringComparison.Ordinal)
            ? new GradientDescent(LearningRate, EffectiveMomentum)
            : optimizer;
    }

    /// <summary>μ: as given, else 0.9 with cross-entropy and 0 otherwise (the textbook's plain gradient descent).</summary>
    public double EffectiveMomentum => Momentum ?? (Loss is CrossEntropy ? 0.9 : 0);

    public static TrainerOptions Parse(IReadOnlyList<string> args)
    {
        var options = new TrainerOptions();
        string[] rest = [.. args];
        if (rest.Length > 0 && rest[0] is "predict" or "evaluate")
        {
            options = rest[0] == "predict" ? options with { Predict = true } : options with { Evaluate = true };
            rest = rest[1..];
        }

        (RootCommand command, Dictionary<OptionDeclaration, Option> declared) = Command();
        ParseResult parsed = command.Parse(rest);
        if (parsed.Errors.Count > 0)
        {
            throw new UsageException(parsed.Errors[0].Message.TrimEnd('.') + " (see --help).");
        }

        if (parsed.Action is not null)
        {
            return options with { ShowHelp = true }; // --help, -h or -?
        }

        // Apply every option given, in the order of the declarations, each value checked by its own function.
        foreach ((OptionDeclaration declaration, Option option) in declared)
        {
            if (parsed.GetResult(option) is not { Implicit: false })
            {
                continue; // not on the command line
            }

            if (declaration.ValueName is null)
            {
                options = parsed.GetValue((Option<bool>)option) ? declaration.Apply(options, string.Empty) : options;
                continue;
            }

            string[] values = option is Option<string[]> many ? parsed.GetValue(many) ?? [] : [parsed.GetValue((Option<string>)option)!];
            foreach (string value in values)
            {
                options = declaration.Apply(options, value);
            }
        }

        if (options.Evaluate && !options.ShowHelp && options.ModelPath is null)
        {
            throw new UsageException("evaluate needs --model FILE (a .dlnn or .safetensors model).");
        }

        if (options.Predict && !options.ShowHelp)
        {
            if (options.ModelPath is null)
            {
                throw new UsageException("predict needs --model FILE (a model saved with --save).");
            }

            if ((options.ImagePath is null) == (options.Index is null))
            {
                throw new UsageException("predict needs exactly one of --image FILE or --index N.");
            }
        }

        return options;
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

    private static string ParseInit(string value)
        => value.Equals("auto", StringComparison.OrdinalIgnoreCase) || Registries.Initializers.TryCreate(value, out _, out _)
            ? value
            : throw new UsageException($"--init '{value}': expected auto or one of {string.Join(", ", Registries.Initializers.Entries.Select(e => e.Name))}.");

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
