using System.Numerics;
using DeepLearning;
using DeepLearning.Layers;
using DeepLearning.Serialization;
using DeepLearning.Training;
using Samples.Common;

namespace DigitTrainer;

/// <summary>The trainer's whole run, callable from tests with their own writers.</summary>
internal static partial class TrainerApp
{
    private static readonly AsyncLocal<int?> LayoutWidth = new();

    /// <summary>
    /// The columns everything a person reads is laid out in (<see cref="ConsoleLayout"/>): the terminal's width, $COLUMNS, or
    /// 80 when there is none (output piped or redirected, tests); each run (and each test) has its own.
    /// </summary>
    public static int Width
    {
        get => LayoutWidth.Value ?? ConsoleLayout.DefaultWidth;
        set => LayoutWidth.Value = Math.Max(ConsoleLayout.MinimumWidth, value);
    }

    /// <summary>
    /// Whether an error is wrapped at <see cref="Width"/> (the standard error is a terminal a person reads) instead of
    /// written as the one line a script reads.
    /// </summary>
    public static bool WrapErrors { get; set; }

    /// <summary>Runs the trainer with these arguments; what a person reads is laid out at <paramref name="width"/> columns (default <see cref="Width"/>).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool interactive, int? width = null)
    {
        if (width is { } columns)
        {
            Width = columns;
        }

        var laidOut = new LayoutWriter(output, Width);
        try
        {
            return await RunAsync(args, output, laidOut, error, interactive);
        }
        finally
        {
            await laidOut.FlushAsync();
        }
    }

    private static async Task<int> RunAsync(string[] args, TextWriter raw, TextWriter output, TextWriter error, bool interactive)
    {
        try
        {
            TrainerOptions options = TrainerOptions.Parse(args);
            if (options.ShowHelp)
            {
                await output.WriteAsync(TrainerOptions.Help);
                return 0;
            }

            // --report -: the JSON alone on the standard output, as written, so it pipes; what a person reads goes to the
            // standard error, laid out.
            (TextWriter human, TextWriter? json) = options.ReportPath == "-" ? ((TextWriter)new LayoutWriter(error, Width), (TextWriter?)raw) : (output, null);
            if (options.Evaluate)
            {
                return options.UseDouble ? await EvaluateAsync<double>(options, human, json) : await EvaluateAsync<float>(options, human, json);
            }

            if (options.Predict)
            {
                return options.UseDouble ? await PredictAsync<double>(options, output) : await PredictAsync<float>(options, output);
            }

            return options.UseDouble
                ? await TrainAsync<double>(options, human, json, interactive)
                : await TrainAsync<float>(options, human, json, interactive);
        }
        catch (UsageException e)
        {
            await WriteErrorAsync(error, e.Message);
            return 2;
        }
        catch (Exception e) when (e is MnistSource.DataException or IOException or InvalidDataException or UnauthorizedAccessException or TrainingDivergedException
            or ArgumentException or NotSupportedException)
        {
            // ArgumentException and NotSupportedException: what the library refuses to save or load (non-finite weights, a
            // kind it cannot build); the checks above refuse what they can before training, this says the rest in one line.
            await WriteErrorAsync(error, e.Message);
            return 1;
        }
        catch (OutOfMemoryException)
        {
            await WriteErrorAsync(error, "out of memory: the network, the batch or the data is larger than this machine can hold; try fewer or smaller layers or a smaller --batch-size.");
            return 1;
        }
    }

    /// <summary>
    /// <c>error: </c> and the message: one line for a script (the error contract), wrapped at spaces when
    /// <see cref="WrapErrors"/> says a person reads it in a terminal.
    /// </summary>
    private static Task WriteErrorAsync(TextWriter error, string message)
    {
        string line = $"error: {OneLine(message)}";
        return error.WriteLineAsync(WrapErrors ? ConsoleLayout.Format(line, Width) : line);
    }

    /// <summary>A message as one short line (<see cref="ErrorText.OneLine"/>), .NET's "(Parameter 'x')" dropped.</summary>
    internal static string OneLine(string message)
        => ErrorText.OneLine(message.Split(" (Parameter '", StringSplitOptions.None)[0]);

    /// <summary>Every output path is checked before any work: a folder, a special file or a symbolic link is refused, nothing is created.</summary>
    private static void CheckOutputs(TrainerOptions options)
    {
        foreach ((string option, string path) in options.Outputs())
        {
            try
            {
                DeepLearning.IO.AtomicFile.CheckWritable(path);
            }
            catch (IOException e)
            {
                throw new UsageException($"{option} {OneLine(e.Message)}");
            }
        }
    }

    /// <summary>
    /// The initial weights must be numbers: an initializer whose draws overflow the element type (gaussian(0, 1e300) in
    /// float) is refused before training, naming the option, rather than after it when nothing can be saved.
    /// </summary>
    private static void CheckFinite<T>(Network<T> network, TrainerOptions options)
        where T : struct, IFloatingPointIeee754<T>
    {
        foreach (ILayer<T> layer in network.Layers)
        {
            foreach (Parameter<T> parameter in layer.Parameters)
            {
                foreach (T value in parameter.Values)
                {
                    if (!T.IsFinite(value))
                    {
                        string option = options.Layers is not null ? "--layers" : parameter.IsWeight ? $"--init {options.Init}" : $"--bias-init {options.BiasInit}";
                        throw new UsageException($"{option}: the initial {parameter.Name} holds {value} in {(typeof(T) == typeof(float) ? "float" : "double")}; choose an initializer whose values are finite (a smaller standard deviation).");
                    }
                }
            }
        }
    }

    /// <summary>The backend: managed unless native is asked for (a choice that never depends on a timing), said in one line.</summary>
    private static DeepLearning.Compute.LinearAlgebraBackend ChooseBackend(TrainerOptions options, TextWriter output)
    {
        string? setting = options.Backend ?? Environment.GetEnvironmentVariable(DeepLearning.Compute.Backend.EnvironmentVariable);
        var chosen = DeepLearning.Compute.Backend.Choose(setting, output);
        string why = string.IsNullOrWhiteSpace(setting) ? "the default" : $"as asked with {(options.Backend is null ? DeepLearning.Compute.Backend.EnvironmentVariable + "=" + setting : "--backend " + setting)}";
        output.WriteLine($"Backend: {chosen.Description}, {why}");
        return chosen;
    }

    /// <summary>The shapes through the network, without its element type: <c>1×28×28→800→10</c>.</summary>
    private static string Shapes<T>(Network<T> network)
        where T : struct, IFloatingPointIeee754<T>
        => $"{network.InputShape}→{string.Join("→", network.Layers.Select(l => l.OutputShape))}";

    private static bool IsSafeTensors(string path) => path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);

    /// <summary>A .dlnn model, or a .safetensors one: with our architecture metadata, or (PyTorch's) built from --layers or --hidden.</summary>
    private static Network<T> LoadModel<T>(TrainerOptions options)
        where T : struct, IFloatingPointIeee754<T>
    {
        string path = options.ModelPath!;
        Network<T> network;
        if (!IsSafeTensors(path))
        {
            network = ModelFile.Load<T>(path);
            Refuse(network);
        }
        else
        {
            try
            {
                network = SafeTensors.Load<T>(path);
                Refuse(network);
            }
            catch (InvalidDataException e) when (e.Message.Contains("no 'deeplearning.layers' metadata", StringComparison.Ordinal))
            {
                MemoryCheck.Check(options, 0, TrainerOptions.TestImages, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
                network = options.BuildNetwork<T>();
                SafeTensors.LoadInto(network, path);
            }
        }

        if (network.Loss is { } stored && options.LossGiven && stored.Spec != options.Loss.Spec)
        {
            throw new UsageException($"--loss: {TrainerOptions.Quote(path)} carries its own loss ({stored.Spec}); --loss names the loss only for a file that stores none (a PyTorch safetensors file, a model file of format 2).");
        }

        network.Loss ??= options.Loss; // a file that does not store its loss (format 2, PyTorch): --loss, cross-entropy by default
        return network;

        // A file that carries its network is read as it is: an option describing another network contradicts it.
        void Refuse(Network<T> carried)
        {
            if (options.NetworkGiven is { } option)
            {
                int count = carried.Layers.Count;
                string specs = string.Join(" ", carried.Layers.Take(6).Select(l => l.Kind)) + (count > 6 ? $" … {count:N0} layers in all" : string.Empty);
                throw new UsageException($"{option}: {TrainerOptions.Quote(path)} carries its own network ({specs}); {option} describes the network only for a PyTorch safetensors file, which carries none.");
            }
        }
    }

    /// <summary>One image of a data set back as grey bytes, 0–255.</summary>
    private static byte[] Pixels<T>(Tensor<T> images, int index)
        where T : struct, IFloatingPointIeee754<T>
        => [.. images.GetRow(index).Select(v => (byte)Math.Round(255 * double.CreateChecked(v)))];

    /// <summary>An <see cref="IProgress{T}"/> that reports on the training thread (no synchronisation context).</summary>
    private sealed class Callback<TValue>(Action<TValue> action) : IProgress<TValue>
    {
        public void Report(TValue value) => action(value);
    }
}
