using DeepLearning;
using Samples.Common;

namespace DigitTrainer;

/// <content>--help: the modes, the options with their defaults, the registries' lists, the closing notes.</content>
internal sealed partial record TrainerOptions
{
    /// <summary>The ways to run the trainer, for --help: each command line and what it does.</summary>
    private static readonly (string Usage, string Explanation)[] Modes =
    [
        ("DigitTrainer [options]", "train (and optionally save, plot, report)"),
        ("DigitTrainer predict --model FILE --image FILE", "classify a photo or scan of one digit (PNG, JPEG, BMP, GIF, WebP or PGM, up to 40 megapixels); shows the 28×28 image it was turned into"),
        ("DigitTrainer predict --model FILE --index N", "classify test image N"),
        ("DigitTrainer evaluate --model FILE", "test accuracy of a saved model (.dlnn or .safetensors); a safetensors file from PyTorch takes its architecture from --layers, or --hidden, --activation and --loss"),
    ];

    /// <summary>What --help says after the lists: where the data comes from, how a picture is prepared, the textbook's setup.</summary>
    private static string Closing => string.Join(Environment.NewLine, [
        "Data: the full MNIST from --data, else the cache, else a download; else the embedded 10,000-image subset.",
        string.Empty,
        $"How predict --image prepares a picture: {DigitImage.Preparation}",
        string.Empty,
        "Textbook setup (Nielsen, chapter 1):",
        "  " + string.Join(' ', new[] { "--hidden 30", "--activation sigmoid", "--loss quadratic", "--init standard_normal", "--bias-init standard_normal", "--learning-rate 3.0", "--batch-size 10", "--epochs 30" }.Select(ConsoleLayout.Keep)),
    ]);

    /// <summary>
    /// The help text at <see cref="TrainerApp.Width"/> columns: the modes, every option from <see cref="Declarations"/>
    /// with its default, the lists of layers, activations, losses, initializers, optimizers and regularizers read from the
    /// library's registries, then <see cref="Closing"/>.
    /// </summary>
    public static string Help => CommandHelp.Write(
        Command().Command,
        "DigitTrainer",
        TrainerApp.Width,
        Modes,
        [
            ("Layers (--layers)", Rows(Registries.Layers)),
            ("Activations (--activation, and a layer's activation)", Rows(Registries.Activations)),
            ("Losses (--loss)", Rows(Registries.Losses)),
            ("Initializers (--init, --bias-init, a layer's init)", Rows(Registries.Initializers)),
            ($"Optimizers (--optimizer; without it the trainer uses {DefaultOptimizerSpec}, momentum 0 with the squared-error losses)", Rows(Registries.Optimizers)),
            ("Regularizers (--regularizer)", Rows(Registries.Regularizers)),
            ("Schedules (--schedule)", Rows(Registries.Schedules)),
            ("Clipping (--clip; a number N is norm(N))", Rows(Registries.Clipping)),
        ],
        Closing);

    /// <summary>A registry's entries as help rows: each signature with its parameters' defaults, and what it computes.</summary>
    private static IEnumerable<(string Name, string Description)> Rows(Registry registry)
        => registry.Entries.Select(e => (e.Signature, e.Description));
}
