using DeepLearning.Initialization;
using DeepLearning.Regularization;

namespace NielsenBook;

/// <summary>
/// Chapters 1 and 3 (network.py and network2.py): N(0, 1) weights and biases (the book's large_weight_initializer), one
/// sigmoid hidden layer. "Cross-entropy" in chapter 3 is sigmoid outputs with the binary cross-entropy summed over the ten
/// outputs: here a linear last layer with Loss.BinaryCrossEntropy (which applies σ). The book quotes the best epoch's
/// validation accuracy.
/// </summary>
internal static class Chapters1And3
{
    public static IReadOnlyList<Experiment> Experiments { get; } =
    [
        Row("ch. 1: [784, 30, 10] sigmoid, quadratic, η 3.0", 0.9542, 30, Loss.Quadratic, 3.0, null, 30),
        Row("ch. 3: cross-entropy, η 0.5", 0.9549, 30, Loss.BinaryCrossEntropy, 0.5, null, 30),
        Row("ch. 3: + L2, λ 5.0", 0.9649, 30, Loss.BinaryCrossEntropy, 0.5, new L2(5.0), 30),
        Row("ch. 3: [784, 100, 10] + L2, η 0.5", 0.9792, 100, Loss.BinaryCrossEntropy, 0.5, new L2(5.0), 30),
        Row("ch. 3: [784, 100, 10] + L2, η 0.1, 60 epochs", 0.9804, 100, Loss.BinaryCrossEntropy, 0.1, new L2(5.0), 60),
    ];

    private static Experiment Row(string title, double book, int hidden, ILoss loss, double learningRate, IRegularizer? regularizer, int epochs)
    {
        IActivation output = loss is BinaryCrossEntropy ? Activation.Identity : Activation.Sigmoid; // logits for the cross-entropy
        return new Experiment(
            title,
            title,
            $"[784, {hidden}, 10], N(0, 1) weights and biases",
            book,
            seed => new NetworkBuilder<float>(784, seed)
                .Dense(hidden, Activation.Sigmoid, Initializer.StandardNormal, Initializer.StandardNormal)
                .Dense(10, output, Initializer.StandardNormal, Initializer.StandardNormal)
                .Build(),
            loss,
            learningRate,
            regularizer,
            epochs);
    }
}
