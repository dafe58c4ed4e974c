// Trains XOR with the DeepLearning package as a user would, and exits non-zero unless every case is learned.
using DeepLearning;
using DeepLearning.Activations;
using DeepLearning.Losses;
using DeepLearning.Optimizers;
using DeepLearning.Training;

var x = Tensor<double>.FromRows([0, 0], [0, 1], [1, 0], [1, 1]);
var y = Tensor<double>.FromRows([0], [1], [1], [0]);
Network<double> network = new NetworkBuilder<double>(inputs: 2, seed: 3)
    .Dense(8, Activation.Tanh)
    .Dense(1)                 // a logit; the loss applies the sigmoid
    .Build();
network.Fit(x, y, Loss.BinaryCrossEntropy, new GradientDescent(learningRate: 0.5), new TrainingOptions { Epochs = 1000, BatchSize = 4 });

Tensor<double> predictions = network.Predict(x); // σ(logit): the network knows its loss from Fit
double[] expected = [0, 1, 1, 0];
bool ok = true;
for (int i = 0; i < 4; i++)
{
    bool right = Math.Abs(predictions[i, 0] - expected[i]) < 0.1;
    ok &= right;
    Console.WriteLine($"XOR({x[i, 0]}, {x[i, 1]}) = {predictions[i, 0]:0.000} (expected {expected[i]}){(right ? string.Empty : "  WRONG")}");
}

Console.WriteLine($"Backend: {DeepLearning.Compute.Backend.Current.Description}");
Console.WriteLine(ok ? "package consumer: XOR learned" : "package consumer: XOR NOT learned");
return ok ? 0 : 1;
