// Draws the figures of the documentation from the library's own numbers:
//   activations.png       σ and σ′ of sigmoid, tanh and ReLU
//   gradient-descent.png  the quadratic loss of the one-weight example with the gradient-descent steps marked
//   learning-rates.png    the same walk with a learning rate too small, right, and too large
//   mnist-curves.png      training loss and test accuracy per epoch on MNIST (the full set with --data DIR, else the subset)
//   learned-features.png  each hidden neuron's 784 incoming weights as a 28×28 image (784-100-10 on 10,000 images)
//   hidden-activations.png  the hidden neurons' outputs for a test 0, 1, 7 and 3, in the same order
//   overfitting.png       test accuracy per epoch of 784-100-10 on 1,000 images, with L2, with dropout, and on 10,000
//   icon.png              the package icon
//
// Usage: dotnet run --project samples/DocFigures -c Release -- [--output docs/images] [--data DIR]

using DeepLearning.Optimizers;
using DeepLearning.Training;
using DocFigures;

var outputOption = new System.CommandLine.Option<string>("--output") { Description = "where the figures go", DefaultValueFactory = _ => "docs/images", HelpName = "DIR" };
var dataOption = new System.CommandLine.Option<string?>("--data") { Description = "the four MNIST files (default: the embedded subset)", HelpName = "DIR" };
var command = new System.CommandLine.RootCommand("Draws the figures of the docs from the library's own numbers.") { outputOption, dataOption };
// One error: line, exit 2 for usage and 1 for files and data, output laid out for the terminal, as every sample.
(System.CommandLine.ParseResult? parsed, int exitCode) = SampleArgs.ParseCommand(command, args, "DocFigures");
if (parsed is null)
{
    return exitCode;
}

string output = SampleArgs.PathValue("--output", parsed.GetValue(outputOption)!);
string? data = parsed.GetValue(dataOption) is { } given ? SampleArgs.PathValue("--data", given) : null;

Directory.CreateDirectory(output);
LossFigures.Activations(Path.Combine(output, "activations.png"));
LossFigures.GradientDescentWalk(Path.Combine(output, "gradient-descent.png"));
LossFigures.LearningRates(Path.Combine(output, "learning-rates.png"));
MnistFigures.MnistCurves(Path.Combine(output, "mnist-curves.png"), data);
MnistFigures.LearnedFeaturesFigure(Path.Combine(output, "learned-features.png"), data);
ConvolutionFigureSet.ConvolutionFigures(output, data);
MnistFigures.Overfitting(Path.Combine(output, "overfitting.png"), data);
IconFigure.Icon(Path.Combine(output, "icon.png"));
Console.WriteLine($"Figures written to {Path.GetFullPath(output)}");
return 0;
