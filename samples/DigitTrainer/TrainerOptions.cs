using System.Globalization;
using DeepLearning.Activations;
using DeepLearning;
using DeepLearning.Losses;
using DeepLearning.Optimizers;

namespace DigitTrainer;

/// <summary>The trainer's command line, with the default of every option.</summary>
internal sealed record TrainerOptions
{
    private const string HelpTemplate = """
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

        Data (the full MNIST: --data, else the cache, else a download; else the embedded 10,000-image subset):
          --data DIR             folder with the four MNIST files (raw or .gz)
          --cache DIR            download cache (default $XDG_CACHE_HOME/deeplearning/mnist or ~/.cache/deeplearning/mnist)
          --offline              never download
          --mirror URL           download from this base address instead of the public mirrors (repeatable)
          --train-limit N        train on the first N training images only

        Network and training:
          --hidden 800           hidden layer sizes, e.g. 128 or 300,100 (default 800)
          --activation relu      hidden activation, one of the list below (default relu)
          --loss cross-entropy   a loss of the list below (default cross-entropy); the cross-entropies get a linear output
                                 layer (they take logits), the others sigmoid outputs
          --init auto            weights: auto, or an initializer of the list below; auto is N(0,1) for sigmoid (the
                                 textbook's, biases too), He for relu and leaky_relu, Glorot otherwise (default auto)
          --optimizer gradient_descent
                                 gradient_descent (uses --learning-rate and --momentum) or another optimizer of the list
                                 below, with its own parameters, e.g. adam(0.001) (default gradient_descent)
          --regularizer l2(5)    a penalty on the weights from the list below (default none)
          --learning-rate 0.05   ε of gradient descent (default 0.05)
          --momentum 0.9         μ, 0 for plain gradient descent (default 0.9 with cross-entropy, 0 otherwise)
          --batch-size 64        samples per gradient step (default 64)
          --epochs 10            passes over the training set (default 10)
          --seed 1               seed of the weights and the shuffling (default 1)
          --double               compute in double instead of float
          --backend auto         matrix products: auto (native BLAS when installed), native or managed
                                 (default: $DEEPLEARNING_BACKEND, else auto)

        Output:
          --save FILE            save the trained model: .dlnn, or .safetensors for PyTorch (nn.Sequential names)
          --export-onnx FILE     export the trained model to ONNX (.onnx), for ONNX Runtime
          --plot FILE.png        plot the loss and test accuracy per epoch
          --report FILE.json     machine-readable summary
          --show N               misclassified test digits to draw (default 3)
          --help                 this text

        How predict --image prepares a picture: the paper's grey is the median of the border; ink is each pixel's distance
        from it towards the digit (dark ink on light paper is inverted); Otsu's threshold separates strokes from paper
        noise and the ink is stretched from it to the strokes' 99th percentile; the digit's box is scaled to 20 pixels on
        its longer side and its centre of mass put at the centre of 28×28, as MNIST was made.

        Textbook setup (Nielsen, chapter 1):
          --hidden 30 --activation sigmoid --loss quadratic --learning-rate 3.0 --batch-size 10 --epochs 30

        """;

    /// <summary>The help text; the lists of activations, losses, initializers and optimizers come from the library's registries.</summary>
    public static string Help => HelpTemplate + string.Join(
        Environment.NewLine,
        new (string Title, IEnumerable<string> Lines)[]
        {
            ("Activations (--activation)", Registries.Activations.Describe()),
            ("Losses (--loss)", Registries.Losses.Describe()),
            ("Initializers (--init)", Registries.Initializers.Describe()),
            ("Optimizers (--optimizer)", Registries.Optimizers.Describe()),
            ("Regularizers (--regularizer)", Registries.Regularizers.Describe()),
        }.Select(section => $"{section.Title}:{Environment.NewLine}{string.Join(Environment.NewLine, section.Lines.Select(l => "  " + l))}{Environment.NewLine}"));

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
        var mirrors = new List<Uri>();
        int i = 0;
        if (args.Count > 0 && args[0] == "predict")
        {
            options = options with { Predict = true };
            i = 1;
        }
        else if (args.Count > 0 && args[0] == "evaluate")
        {
            options = options with { Evaluate = true };
            i = 1;
        }

        for (; i < args.Count; i++)
        {
            string option = args[i];
            string Value()
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new UsageException($"{option} needs a value (see --help).");
                }

                return args[++i];
            }

            options = option switch
            {
                "--help" or "-h" => options with { ShowHelp = true },
                "--data" => options with { DataDirectory = Value() },
                "--cache" => options with { CacheDirectory = Value() },
                "--offline" => options with { Offline = true },
                "--mirror" => AddMirror(options, mirrors, option, Value()),
                "--train-limit" => options with { TrainLimit = PositiveInt(option, Value()) },
                "--hidden" => options with { Hidden = ParseHidden(Value()) },
                "--activation" => options with { Activation = ParseActivation(Value()) },
                "--loss" => options with { Loss = ParseLoss(Value()) },
                "--init" => options with { Init = ParseInit(Value()) },
                "--optimizer" => options with { Optimizer = ParseOptimizer(Value()) },
                "--regularizer" => options with { Regularizer = Registries.Regularizers.TryCreate(Value(), out var r, out string rError) ? r : throw new UsageException($"--regularizer: {rError}") },
                "--learning-rate" => options with { LearningRate = PositiveDouble(option, Value()) },
                "--momentum" => options with { Momentum = Momentum01(option, Value()) },
                "--batch-size" => options with { BatchSize = PositiveInt(option, Value()) },
                "--epochs" => options with { Epochs = NonNegativeInt(option, Value()) },
                "--seed" => options with { Seed = AnyInt(option, Value()) },
                "--double" => options with { UseDouble = true },
                "--backend" => options with { Backend = ParseBackend(Value()) },
                "--save" => options with { SavePath = Value() },
                "--export-onnx" => options with { OnnxPath = Value() },
                "--plot" => options with { PlotPath = Value() },
                "--report" => options with { ReportPath = Value() },
                "--show" => options with { Show = NonNegativeInt(option, Value()) },
                "--model" => options with { ModelPath = Value() },
                "--image" => options with { ImagePath = Value() },
                "--index" => options with { Index = NonNegativeInt(option, Value()) },
                _ => throw new UsageException($"unknown option '{option}' (see --help)."),
            };
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

    private static TrainerOptions AddMirror(TrainerOptions options, List<Uri> mirrors, string option, string value)
    {
        if (!Uri.TryCreate(value.EndsWith('/') ? value : value + "/", UriKind.Absolute, out Uri? uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            throw new UsageException($"{option} '{value}' is not an http or https address.");
        }

        mirrors.Add(uri);
        return options with { Mirrors = [.. mirrors] };
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
