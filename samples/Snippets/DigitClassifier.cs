using DeepLearning;
using DeepLearning.Activations;
using DeepLearning.Data;
using DeepLearning.Losses;
using DeepLearning.Metrics;
using DeepLearning.Optimizers;
using DeepLearning.Training;

namespace Snippets;

/// <summary>docs/articles/digit-classifier.md</summary>
internal static class DigitClassifier
{
    /// <summary>The MNIST subset that ships with the repository (copied next to the program).</summary>
    public static string SubsetDirectory => Path.Combine(AppContext.BaseDirectory, "data", "mnist-subset");

    public static (Evaluation Evaluation, ConfusionMatrix Confusion) Run(TextWriter output, int epochs = 10, int trainLimit = 10000)
    {
        string directory = SubsetDirectory;

        // <train-digits>
        MnistData<float> mnist = Mnist.Load<float>(directory);          // 28×28 images as rows of 784 pixels in [0, 1]
        DataSet<float> training = mnist.Training.Take(trainLimit);

        Network<float> network = new NetworkBuilder<float>(inputs: 784, seed: 1)
            .Dense(128, Activation.ReLU)
            .Dense(10)                                                 // ten logits; the loss applies softmax
            .Build();

        network.Fit(training, Loss.CrossEntropy, new GradientDescent(learningRate: 0.05, momentum: 0.9),
            new TrainingOptions { Epochs = epochs, BatchSize = 64 });

        Evaluation evaluation = network.Evaluate(mnist.Test.Inputs, mnist.Test.Targets, Loss.CrossEntropy);
        var confusion = new ConfusionMatrix(mnist.Test.Labels!, network.PredictClasses(mnist.Test.Inputs), classes: 10);
        output.WriteLine($"test accuracy {evaluation.Accuracy:P2}");
        output.WriteLine(confusion);
        // </train-digits>
        return (evaluation, confusion);
    }
}
