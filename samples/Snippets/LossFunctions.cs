using DeepLearning;
using DeepLearning.Losses;

namespace Snippets;

/// <summary>docs/articles/loss-functions.md</summary>
internal static class LossFunctions
{
    public static IReadOnlyDictionary<string, double> Run(TextWriter output)
    {
        // <compare-losses>
        // One sample, three classes; the true class is 1. Cross-entropy takes logits: ln of the
        // probabilities are logits whose softmax is exactly those probabilities.
        var prediction = Tensor<double>.FromRow(0.2, 0.7, 0.1);
        var logits = Tensor<double>.FromRow(Math.Log(0.2), Math.Log(0.7), Math.Log(0.1));
        var label = Tensor<double>.FromRow(0.0, 1.0, 0.0);
        var values = new Dictionary<string, double>();
        foreach (ILoss loss in new ILoss[] { Loss.Quadratic, Loss.MeanSquaredError, Loss.CrossEntropy })
        {
            values[loss.Name] = loss.Value(loss is CrossEntropy ? logits : prediction, label);
            output.WriteLine($"{loss.Name,-16} L = {values[loss.Name]:0.####}");
        }

        // Quadratic        L = 0.07     ½(0.2² + 0.3² + 0.1²)
        // MeanSquaredError L = 0.0467   (0.2² + 0.3² + 0.1²) / 3
        // CrossEntropy     L = 0.3567   −log 0.7
        // </compare-losses>
        return values;
    }
}
