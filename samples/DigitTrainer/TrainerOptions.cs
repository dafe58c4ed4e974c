using System.CommandLine;
using System.Globalization;
using System.Numerics;
using DeepLearning;
using DeepLearning.Activations;
using DeepLearning.Initialization;
using DeepLearning.Losses;
using DeepLearning.Optimizers;
using DeepLearning.Serialization;
using DeepLearning.Training;
using Samples.Common;

namespace DigitTrainer;

/// <summary>The trainer's command line, with the default of every option.</summary>
internal sealed partial record TrainerOptions
{
    /// <summary>
    /// Every option, declared once: its name, what it does, the name of its value (null for a flag), how its value is
    /// applied and, where it has one, its default read from a <see cref="TrainerOptions"/> nobody changed (so --help prints
    /// the value a run uses). System.CommandLine parses the command line from these declarations and --help is written
    /// from them; the apply functions check each value and say what is wrong in one line.
    /// </summary>
    private static readonly OptionDeclaration[] Declarations =
    [
        new("--data", "folder with the four MNIST files (raw or .gz)", "DIR", (o, v) => o with { DataDirectory = PathValue("--data", v) }),
        new("--cache", "download cache (default $XDG_CACHE_HOME/deeplearning/mnist or ~/.cache/deeplearning/mnist)", "DIR", (o, v) => o with { CacheDirectory = PathValue("--cache", v) }),
        new("--offline", "never download", null, (o, _) => o with { Offline = true }),
        new("--mirror", "download from this base address instead of the public mirrors (repeatable)", "URL", (o, v) => AddMirror(o, v)),
        new("--train-limit", "train on the first N training images only", "N", (o, v) => o with { TrainLimit = PositiveInt("--train-limit", v) }),
        new("--layers", "the network as layer specs of the list below separated by spaces, each name(args) with a layer's activation as its last argument, e.g. \"dense(100,relu) dropout(0.5) dense(10)\"; the last layer gives the 10 outputs (default: the layers --hidden describes)", "SPECS", (o, v) => o with { Layers = ParseLayers(v) }),
        new("--hidden", "the short form of --layers for a dense network: hidden layer sizes, e.g. 128 or 300,100", "SIZES", (o, v) => o with { Hidden = ParseHidden(v) }, o => string.Join(",", o.Hidden)),
        new("--activation", "with --hidden: the hidden layers' activation, one of the list below", "NAME", (o, v) => o with { Activation = ParseActivation(v) }, o => o.Activation.Spec),
        new("--loss", "a loss of the list below; with --hidden the cross-entropies get a linear output layer (they take logits), the others sigmoid outputs", "NAME", (o, v) => o with { Loss = ParseLoss(v) }, o => o.Loss.Spec),
        new("--init", "with --hidden: the weights' initializer, auto or one of the list below; auto is the activation's own: He for relu and leaky_relu, Glorot for the others", "NAME", (o, v) => o with { Init = ParseInit(v, "--init") }, o => o.Init),
        new("--bias-init", "with --hidden: the biases' initializer, one of the list below", "NAME", (o, v) => o with { BiasInit = ParseInit(v, "--bias-init") }, o => o.BiasInit),
        new("--optimizer", $"an optimizer of the list below with its parameters, e.g. adam or adam(lr=0.01) (default {DefaultOptimizerSpec}, momentum 0 with the squared-error losses)", "SPEC", (o, v) => o with { Optimizer = ParseOptimizer(v) }),
        new("--regularizer", "a penalty on the weights from the list below, e.g. l2(5), or none", "SPEC", (o, v) => o with { Regularizer = v.Equals("none", StringComparison.OrdinalIgnoreCase) ? null : Registries.Regularizers.TryCreate(v, out var r, out string error) ? r : throw new UsageException($"--regularizer: {error}") }, o => o.Regularizer?.Spec ?? "none"),
        new("--schedule", "how the learning rate changes from step to step, a schedule of the list below, e.g. cosine or \"cosine(warmup=500)\"; the optimizer's lr is its peak", "SPEC", (o, v) => o with { Schedule = Registries.Schedules.TryCreate(v, out var schedule, out string error) ? schedule : throw new UsageException($"--schedule: {error}") }, o => o.Schedule?.Spec ?? "constant"),
        new("--clip", "limit the gradients before every step: a number is the largest global norm, norm(N); or a rule of the list below, e.g. value(0.5); or none", "N|SPEC", (o, v) => o with { Clip = v.Equals("none", StringComparison.OrdinalIgnoreCase) ? null : ParseClip(v) }, o => o.Clip?.Spec ?? "none"),
        new("--learning-rate", $"ε: the optimizer's lr (default {DefaultLearningRate.ToString(CultureInfo.InvariantCulture)} for the default optimizer, else the optimizer's own)", "ε", (o, v) => o with { LearningRate = PositiveDouble("--learning-rate", v) }),
        new("--momentum", $"μ: the optimizer's momentum, for those that have one (default {Invariant(DefaultMomentum)} for the default optimizer with the cross-entropies, else 0)", "μ", (o, v) => o with { Momentum = Momentum01("--momentum", v) }),
        new("--batch-size", "samples per gradient step", "N", (o, v) => o with { BatchSize = PositiveInt("--batch-size", v) }, o => Invariant(o.BatchSize)),
        new("--epochs", "passes over the training set", "N", (o, v) => o with { Epochs = NonNegativeInt("--epochs", v) }, o => Invariant(o.Epochs)),
        new("--seed", "seed of the weights and the shuffling", "N", (o, v) => o with { Seed = AnyInt("--seed", v) }, o => Invariant(o.Seed)),
        new("--double", "compute in double instead of float", null, (o, _) => o with { UseDouble = true }),
        new("--backend", "matrix products: auto (managed: the same numbers on every machine, no native library needed), native (OpenBLAS, when installed) or managed (default: $DEEPLEARNING_BACKEND, else auto)", "NAME", (o, v) => o with { Backend = ParseBackend(v) }),
        new("--save", "save the trained model: .dlnn (with a checkpoint of the run, for --resume), or .safetensors for PyTorch (nn.Sequential names)", "FILE", (o, v) => o with { SavePath = PathValue("--save", v) }),
        new("--model-only", "with --save FILE.dlnn: leave out the checkpoint of the run (the optimizer's state and settings) for a smaller file that --resume cannot continue", null, (o, _) => o with { ModelOnly = true }),
        new("--export-onnx", "export the trained model to ONNX (.onnx), for ONNX Runtime", "FILE", (o, v) => o with { OnnxPath = PathValue("--export-onnx", v) }),
        new("--plot", "plot the loss and test accuracy per epoch (.png)", "FILE", (o, v) => o with { PlotPath = PathValue("--plot", v) }),
        new("--report", "machine-readable summary (.json); - writes it to the standard output (and the rest to the standard error)", "FILE", (o, v) => o with { ReportPath = v == "-" ? v : PathValue("--report", v) }),
        new("--show", "misclassified test digits to draw", "N", (o, v) => o with { Show = NonNegativeInt("--show", v) }, o => Invariant(o.Show)),
        new("--model", "predict, evaluate: the saved model (.dlnn or .safetensors)", "FILE", (o, v) => o with { ModelPath = PathValue("--model", v) }),
        new("--resume", "continue the run saved with --save in FILE (.dlnn) up to --epochs in all: its network, optimizer state and settings, to the bits an uninterrupted run gives", "FILE", (o, v) => o with { ResumePath = PathValue("--resume", v) }),
        new("--image", "predict: a picture of one digit", "FILE", (o, v) => o with { ImagePath = PathValue("--image", v) }),
        new("--index", "predict: the test image to classify", "N", (o, v) => o with { Index = NonNegativeInt("--index", v) }),
    ];

    /// <summary>One option: its name, description, the name of its value (null for a flag), how a value is applied and its default.</summary>
    private sealed record OptionDeclaration(string Name, string Description, string? ValueName, Func<TrainerOptions, string, TrainerOptions> Apply, Func<TrainerOptions, string>? Default = null)
    {
        /// <summary>The description with the default a run uses when the option is not given: <c>… (default 64)</c>.</summary>
        public string HelpText => Default is null ? Description : $"{Description} (default {Default(new TrainerOptions())})";
    }

    /// <summary>The command built from <see cref="Declarations"/>: a string option per valued option (repeatable), a flag per flag.</summary>
    private static (RootCommand Command, Dictionary<OptionDeclaration, Option> Options) Command()
    {
        var command = new RootCommand("DigitTrainer: train a network to read handwritten digits (MNIST), then report on it.");
        var options = new Dictionary<OptionDeclaration, Option>();
        foreach (OptionDeclaration declaration in Declarations)
        {
            Option option = declaration.ValueName is null
                ? new Option<bool>(declaration.Name) { Description = declaration.HelpText }
                : declaration.Name == "--mirror"
                    ? new Option<string[]>(declaration.Name) { Description = declaration.HelpText, HelpName = declaration.ValueName, AllowMultipleArgumentsPerToken = false }
                    : new Option<string>(declaration.Name) { Description = declaration.HelpText, HelpName = declaration.ValueName };
            command.Options.Add(option);
            options[declaration] = option;
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

    /// <summary>The default --hidden: one layer of 800 neurons.</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [800];

    /// <summary>The --layers specs, or null for the dense network --hidden describes.</summary>
    public IReadOnlyList<string>? Layers { get; init; }

    /// <summary>The shape of one MNIST sample, the network's input: one grey channel of 28×28 pixels.</summary>
    public static FeatureShape Input { get; } = new(1, 28, 28);

    /// <summary>The number of outputs the last layer gives: one per digit.</summary>
    public const int Classes = 10;

    /// <summary>The images of the full MNIST training set.</summary>
    public const int TrainingImages = 60_000;

    /// <summary>The images of the MNIST test set.</summary>
    public const int TestImages = 10_000;

    public IActivation Activation { get; init; } = DeepLearning.Activations.Activation.ReLU;

    public ILoss Loss { get; init; } = DeepLearning.Losses.Loss.CrossEntropy;

    public string Init { get; init; } = "auto";

    public string BiasInit { get; init; } = "zeros";

    /// <summary>--schedule, or null for a constant learning rate.</summary>
    public DeepLearning.Schedules.ISchedule? Schedule { get; init; }

    /// <summary>--clip, or null.</summary>
    public DeepLearning.Clipping.IGradientClipping? Clip { get; init; }

    /// <summary>--model-only: --save writes the network without a checkpoint of the run.</summary>
    public bool ModelOnly { get; init; }

    /// <summary>--resume: the model file of the run to continue, or null.</summary>
    public string? ResumePath { get; init; }

    /// <summary>The first option given that describes the network (--layers, --hidden, --activation, --init, --bias-init), or null: a model file that carries its own network refuses them.</summary>
    public string? NetworkGiven { get; init; }

    /// <summary>Whether --loss was given: a model file that carries its own loss refuses another one.</summary>
    public bool LossGiven { get; init; }

    /// <summary>The regularizer, or null.</summary>
    public DeepLearning.Regularization.IRegularizer? Regularizer { get; init; }

    /// <summary>The --optimizer spec, or null for the default, <see cref="DefaultOptimizerSpec"/>.</summary>
    public string? Optimizer { get; init; }

    /// <summary>--learning-rate, or null when not given.</summary>
    public double? LearningRate { get; init; }

    /// <summary>--momentum, or null when not given.</summary>
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

    /// <summary>The learning rate of the default optimizer.</summary>
    public const double DefaultLearningRate = 0.05;

    /// <summary>The default optimizer's momentum with a loss on logits (the cross-entropies); 0 with the squared errors.</summary>
    public const double DefaultMomentum = 0.9;

    /// <summary>The default optimizer, as --help shows it (with cross-entropy).</summary>
    public static string DefaultOptimizerSpec => FormattableString.Invariant($"gradient_descent(lr={DefaultLearningRate}, momentum={DefaultMomentum})");

    /// <summary>
    /// The optimizer: the --optimizer spec (else gradient descent with lr 0.05 and momentum 0.9 with a loss on logits, 0
    /// otherwise), with --learning-rate as its <c>lr</c> and --momentum as its <c>momentum</c> when given; an optimizer that
    /// has no such parameter, or whose spec already sets it, is refused with one line naming the option.
    /// </summary>
    public IOptimizer CreateOptimizer()
    {
        string spec = Optimizer ?? "gradient_descent";
        var settings = new List<(string Key, string Value)>();
        IOptimizer? optimizer = Create("--optimizer", settings);
        if (Optimizer is null)
        {
            settings.Add(("lr", Invariant(LearningRate ?? DefaultLearningRate)));
            settings.Add(("momentum", Invariant(Momentum ?? (Loss.Head is null ? 0 : DefaultMomentum)))); // the textbook's plain steps for the squared errors
            return Create("--optimizer", settings);
        }

        if (LearningRate is { } lr)
        {
            settings.Add(("lr", Invariant(lr)));
            optimizer = Create("--learning-rate", settings);
        }

        if (Momentum is { } mu)
        {
            settings.Add(("momentum", Invariant(mu)));
            optimizer = Create("--momentum", settings);
        }

        return optimizer;

        IOptimizer Create(string option, List<(string Key, string Value)> given)
            => Registries.Optimizers.TryCreate(spec, given, out IOptimizer? created, out string error)
                ? created!
                : throw new UsageException($"{option}: {error}");
    }

    /// <summary>
    /// The layers as registry specs: --layers, or the dense network --hidden describes — each hidden size with --activation
    /// and --init, then 10 outputs: logits (a linear layer) for the cross-entropies, sigmoid outputs for the other losses.
    /// </summary>
    public IReadOnlyList<string> LayerSpecs()
    {
        if (Layers is not null)
        {
            return Layers;
        }

        // auto: the activation's preferred initializer. A loss with a head (softmax, σ) takes logits: a linear output layer.
        string init = Init.Equals("auto", StringComparison.OrdinalIgnoreCase) ? "auto" : Registries.Initializers.Create(Init).Spec;
        string biasInit = Registries.Initializers.Create(BiasInit).Spec;
        string settings = (init == "auto" ? string.Empty : $", init={init}") + (biasInit == Initializer.Zeros.Spec ? string.Empty : $", bias_init={biasInit}");
        string output = Loss.Head is null ? Registries.Activations.Create("sigmoid").Spec : Registries.Activations.Create("identity").Spec;
        return [.. Hidden.Select(n => FormattableString.Invariant($"dense({n}, {Activation.Spec}{settings})")), $"dense({Classes}, {output}{settings})"];
    }

    /// <summary>What describes the network on the command line, for messages: <c>--layers '…'</c> or <c>--hidden 800</c>.</summary>
    public string NetworkOption => Layers is null ? $"--hidden {string.Join(',', Hidden)}" : $"--layers '{string.Join(' ', Layers)}'";

    /// <summary>Builds the network the options describe, for MNIST images (1×28×28), with the loss as its head.</summary>
    public Network<T> BuildNetwork<T>()
        where T : struct, IFloatingPointIeee754<T>
    {
        var builder = new NetworkBuilder<T>(Input, Seed);
        foreach (string spec in LayerSpecs())
        {
            try
            {
                builder.Add(spec);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"{NetworkOption}: {e.Message.Split(" (Parameter", StringSplitOptions.None)[0]}");
            }
        }

        return builder.Build(Loss);
    }

    private static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static TrainerOptions Parse(IReadOnlyList<string> args)
    {
        var options = new TrainerOptions();
        string[] rest = [.. args];
        if (rest.Length > 0 && rest[0] is "predict" or "evaluate")
        {
            options = rest[0] == "predict" ? options with { Predict = true } : options with { Evaluate = true };
            rest = rest[1..];
        }

        // A path option followed by another option is a forgotten value (--save --epochs 3): said before the parser
        // takes the option name as the path, or blames the value left over.
        for (int i = 0; i + 1 < rest.Length; i++)
        {
            if (Declarations.FirstOrDefault(d => d.Name == rest[i]) is { ValueName: "FILE" or "DIR" } && Declarations.Any(d => d.Name == rest[i + 1]))
            {
                PathValue(rest[i], rest[i + 1]);
            }
        }

        (RootCommand command, Dictionary<OptionDeclaration, Option> declared) = Command();
        ParseResult parsed = command.Parse(rest);
        if (parsed.Errors.Count > 0)
        {
            throw new UsageException(CommandHelp.Error(parsed)); // with "did you mean --epochs?" for --epoch
        }

        if (parsed.Action is not null)
        {
            return options with { ShowHelp = true }; // --help, -h or -?
        }

        // Apply every option given, in the order of the declarations, each value checked by its own function.
        var given = new HashSet<string>(StringComparer.Ordinal);
        foreach ((OptionDeclaration declaration, Option option) in declared)
        {
            if (parsed.GetResult(option) is not { Implicit: false })
            {
                continue; // not on the command line
            }

            given.Add(declaration.Name);

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

        options = options with
        {
            NetworkGiven = new[] { "--layers", "--hidden", "--activation", "--init", "--bias-init" }.FirstOrDefault(given.Contains),
            LossGiven = given.Contains("--loss"),
        };
        if (given.Contains("--layers") && given.FirstOrDefault(o => o is "--hidden" or "--activation" or "--init" or "--bias-init") is { } shortForm)
        {
            throw new UsageException($"{shortForm} describes the --hidden network; with --layers give each layer's settings in its spec, e.g. dense(100, relu, init=he_normal).");
        }

        if (options.ResumePath is not null && given.FirstOrDefault(RunSetting) is { } setting)
        {
            throw new UsageException($"--resume takes the run's network and settings from {Quote(options.ResumePath)}; {setting} would change them (give --epochs for the run's length, the data options and the outputs).");
        }

        if (options.ResumePath is not null && (options.Predict || options.Evaluate))
        {
            throw new UsageException("--resume continues a training run; predict and evaluate take --model.");
        }

        if (options.ResumePath is null)
        {
            options.CheckNetwork();
        }

        options.CreateOptimizer();
        options.CheckFiles();
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

    /// <summary>The options that define a run — its network, loss, optimizer, batches, seed, schedule — which --resume takes from its file.</summary>
    private static bool RunSetting(string option) => option is "--layers" or "--hidden" or "--activation" or "--init" or "--bias-init" or "--loss"
        or "--optimizer" or "--learning-rate" or "--momentum" or "--regularizer" or "--schedule" or "--clip" or "--batch-size" or "--seed" or "--train-limit";

    /// <summary>The settings of this run that a checkpoint keeps beside the network and the optimizer, so --resume can go on the same way.</summary>
    public Arguments RunSettings(int trainingImages) => new(
        ("batch_size", Invariant(BatchSize)),
        ("seed", Invariant(Seed)),
        ("schedule", Schedule?.Spec ?? "constant"),
        ("clip", Clip?.Spec ?? "none"),
        ("regularizer", Regularizer?.Spec ?? "none"),
        ("training_images", Invariant(trainingImages)),
        ("element", UseDouble ? "double" : "float"));

    /// <summary>These options with the run settings of a checkpoint (see <see cref="RunSettings"/>) and the loaded network's layers.</summary>
    public TrainerOptions WithRun(Arguments settings, IEnumerable<string> layers, ILoss loss, string path)
    {
        try
        {
            if (settings.Get("element") != (UseDouble ? "double" : "float"))
            {
                throw new UsageException($"--resume {Quote(path)}: the run computed in {settings.Get("element")}; {(UseDouble ? "leave out --double" : "add --double")} to continue it.");
            }

            return this with
            {
                BatchSize = settings.GetSize("batch_size"),
                Seed = settings.GetInteger("seed"),
                Schedule = settings.Get("schedule") == "constant" ? null : Registries.Schedules.Create(settings.Get("schedule")),
                Clip = settings.Get("clip") == "none" ? null : Registries.Clipping.Create(settings.Get("clip")),
                Regularizer = settings.Get("regularizer") == "none" ? null : Registries.Regularizers.Create(settings.Get("regularizer")),
                TrainLimit = settings.GetSize("training_images"),
                Layers = [.. layers],
                Loss = loss,
            };
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: its checkpoint was not saved by the digit trainer ({e.Message.Split(" (Parameter", StringSplitOptions.None)[0]}).");
        }
    }

    /// <summary>Plans the layers from 1×28×28 (nothing is allocated): every spec must build, and the last must give 10 outputs.</summary>
    private void CheckNetwork()
    {
        FeatureShape shape = Input;
        IReadOnlyList<string> specs = LayerSpecs();
        for (int l = 0; l < specs.Count; l++)
        {
            try
            {
                shape = Registries.Layers.Plan(specs[l], shape).Output;
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"{NetworkOption}: {e.Message.Split(" (Parameter", StringSplitOptions.None)[0]}");
            }
        }

        if (shape.Size != Classes)
        {
            throw new UsageException($"{NetworkOption}: the last layer gives {shape} outputs; a digit classifier needs {Classes}, one per digit (end with dense(10)).");
        }
    }

    /// <summary>The files a run writes, with their options: --save, --export-onnx, --plot and --report (not <c>-</c>).</summary>
    public IEnumerable<(string Option, string Path)> Outputs()
    {
        foreach ((string option, string? path) in new[] { ("--save", SavePath), ("--export-onnx", OnnxPath), ("--plot", PlotPath), ("--report", ReportPath) })
        {
            if (path is not null && path != "-")
            {
                yield return (option, path);
            }
        }
    }

    /// <summary>
    /// Two outputs may not name one file (the second would replace the first), nor an output the model or image read; a
    /// saved model must be one a model file can hold (at most <see cref="ModelFile.MaxLayers"/> layers).
    /// </summary>
    private void CheckFiles()
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string option, string? path) in new[] { ("--model", ModelPath), ("--image", ImagePath), ("--resume", ResumePath) }.Where(p => p.Item2 is not null).Concat(Outputs().Select(o => (o.Option, (string?)o.Path))))
        {
            string full = Path.GetFullPath(path!);
            if (seen.TryGetValue(full, out string? first))
            {
                throw new UsageException($"{first} and {option} both name {Quote(path!)}; give each its own file.");
            }

            seen[full] = option;
        }

        int layers = LayerSpecs().Count;
        if (layers > ModelFile.MaxLayers && (SavePath ?? OnnxPath) is not null)
        {
            throw new UsageException($"{NetworkOption[..Math.Min(NetworkOption.Length, 40)]}…: {layers:N0} layers; a saved model holds at most {ModelFile.MaxLayers:N0}, so {(SavePath is null ? "--export-onnx" : "--save")} would write a file no one can read back.");
        }
    }
}
