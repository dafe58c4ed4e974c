// The one-weight example of gradient descent, step by step.
//
// One input x = 2, one weight w = 5 (no bias), label ŷ = 6, quadratic loss L = ½(w·x − ŷ)².
// The gradient is ∂L/∂w = (w·x − ŷ)·x, and each step of gradient descent with learning rate ε = 0.1
// moves w to w − ε·∂L/∂w. The optimum is w = 3, where the prediction 3·2 equals the label.
//
// Usage: dotnet run --project samples/GradientDescentWalkthrough -c Release [-- --steps N --learning-rate X]

using System.CommandLine;
using System.Globalization;
using DeepLearning;
using DeepLearning.Activations;
using DeepLearning.Layers;
using DeepLearning.Losses;
using DeepLearning.Optimizers;
using DeepLearning.Training;

var stepsOption = new Option<int>("--steps") { Description = "how many steps of gradient descent to show", DefaultValueFactory = _ => 15 };
stepsOption.Validators.Add(r =>
{
    if (r.GetValueOrDefault<int>() < 0)
    {
        r.AddError("--steps must be 0 or more.");
    }
});
var rateOption = new Option<double>("--learning-rate") { Description = "ε, the learning rate", DefaultValueFactory = _ => 0.1, HelpName = "ε" };
rateOption.Validators.Add(r =>
{
    double value = r.GetValueOrDefault<double>();
    if (!(value > 0) || !double.IsFinite(value))
    {
        r.AddError("--learning-rate must be a positive number, such as 0.1.");
    }
});
var command = new RootCommand("The one-weight example of gradient descent: x = 2, w = 5, label 6, quadratic loss; one line per step.") { stepsOption, rateOption };
// --help written from the declarations above; one error: line and exit 2 for a mistake; output laid out for the terminal.
(ParseResult? parsed, int exitCode) = Samples.Common.SampleArgs.ParseCommand(command, args, "GradientDescentWalkthrough");
if (parsed is null)
{
    return exitCode;
}

int steps = parsed.GetValue(stepsOption);
double learningRate = parsed.GetValue(rateOption);

// One neuron, one weight, no bias, no non-linearity: the prediction is simply w·x.
var layer = new Dense<double>(inputs: 1, outputs: 1, Activation.Identity, useBias: false);
layer.Weights[0, 0] = 5;
var network = new Network<double>(layer);
var optimizer = new GradientDescent(learningRate);

Tensor<double> x = Tensor<double>.FromRow(2.0);
Tensor<double> label = Tensor<double>.FromRow(6.0);

Console.WriteLine("Gradient descent on one weight: x = 2, label 6, quadratic loss L = ½(w·x − 6)²");
Console.WriteLine(FormattableString.Invariant($"learning rate ε = {learningRate}; the optimum is w = 3"));
Console.WriteLine();
Console.WriteLine($"{"step",4}  {"weight",10}  {"prediction",10}  {"loss",10}  {"gradient",10}");
for (int step = 0; step <= steps; step++)
{
    double w = layer.Weights[0, 0];
    double loss = network.ComputeGradients(x, label, Loss.Quadratic); // forward, loss, backward
    double prediction = layer.Output![0, 0];
    double gradient = layer.WeightGradient[0, 0];
    Console.WriteLine(FormattableString.Invariant($"{step,4}  {w,10:0.######}  {prediction,10:0.######}  {loss,10:0.######}  {gradient,10:0.######}"));
    if (step < steps)
    {
        optimizer.Step(network.Parameters); // w ← w − ε·∂L/∂w
    }
}

Console.WriteLine();
// (a formula is kept on one line when the text is wrapped to the terminal)
string factor = Samples.Common.ConsoleLayout.Keep(FormattableString.Invariant($"1 − ε·x² = {1 - (learningRate * 4):0.##}"));
Console.WriteLine(FormattableString.Invariant($"After {steps} steps w = {layer.Weights[0, 0]:0.######}; each step shrinks the distance to 3 by the factor {factor}."));
return 0;
