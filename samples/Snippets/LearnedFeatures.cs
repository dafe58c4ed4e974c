using DeepLearning;
using DeepLearning.Activations;
using DeepLearning.Data;
using DeepLearning.Layers;
using DeepLearning.Losses;
using DeepLearning.Optimizers;
using DeepLearning.Training;

namespace Snippets;

/// <summary>docs/articles/learned-features.md</summary>
internal static class LearnedFeatures
{
    public static (double Learned, double Random) Run(TextWriter output, int epochs = 5)
    {
        MnistData<float> mnist = Mnist.Load<float>(DigitClassifier.SubsetDirectory);

        // <learned-vs-random>
        // The same 784-100-10 network twice. Learned: every layer trains, so the 100 hidden neurons
        // become whatever features help. Random: the hidden layer keeps its random initial weights —
        // 100 features nobody chose — and only the output layer trains on them.
        var options = new TrainingOptions { Epochs = epochs, BatchSize = 64 };
        Network<float> learned = new NetworkBuilder<float>(784, seed: 1)
            .Dense(100, Activation.ReLU).Dense(10).Build();
        learned.Fit(mnist.Training, Loss.CrossEntropy, new GradientDescent(0.05, 0.9), options);

        var randomLayer = new Dense<float>(784, 100, Activation.ReLU, random: new Random(1));
        var features = new Network<float>(randomLayer);          // fixed: never trained
        var head = new Network<float>(new Dense<float>(100, 10, random: new Random(2)));
        var trainingFeatures = new DataSet<float>(features.Predict(mnist.Training.Inputs), mnist.Training.Targets);
        head.Fit(trainingFeatures, Loss.CrossEntropy, new GradientDescent(0.05, 0.9), options);

        double learnedAccuracy = learned.Evaluate(mnist.Test, Loss.CrossEntropy).Accuracy;
        double randomAccuracy = head.Evaluate(features.Predict(mnist.Test.Inputs), mnist.Test.Targets, Loss.CrossEntropy).Accuracy;
        output.WriteLine($"learned features: {100 * learnedAccuracy:F2}% of the test digits right");
        output.WriteLine($"random features:  {100 * randomAccuracy:F2}%");
        // learned features: 94.49% of the test digits right
        // random features:  82.26%
        // </learned-vs-random>
        return (learnedAccuracy, randomAccuracy);
    }
}
