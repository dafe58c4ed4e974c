using System.Globalization;
using DeepLearning.Regularization;

namespace NielsenBook;

/// <summary>
/// Chapter 6 (network3.py), row by row, each network written as the registry's layer specs. network3.py's protocol:
/// valid 5×5 convolutions (stride 1) each followed by 2×2 max-pooling; weights N(0, 1/n_out) with n_out = F·25/4 for a
/// convolution with F filters (its outputs after pooling) and the layer's size for a fully connected one; biases N(0, 1);
/// the softmax layer (here a linear layer whose logits the cross-entropy takes) starting at zero; mean log-likelihood
/// plus 0.5·λ·Σw² divided by the number of mini-batches; plain gradient descent on mini-batches of 10. The book quotes the
/// test accuracy at the epoch of best validation accuracy.
/// </summary>
/// <remarks>
/// network3.py applies a convolution's activation after pooling, σ(max(z) + b); for an increasing σ and one bias per
/// filter that is max(σ(z + b)), so conv2d(…, σ) then maxpool2d(2) is the same layer. Its L2 term divides by the number of
/// mini-batches, n/10, where <see cref="L2"/> divides by n: λ here is the book's λ times 10. Its dropout scales the weights
/// by (1 − p) after training; <c>dropout(p)</c> scales the kept values by 1/(1 − p) during training instead — the same
/// network in expectation.
/// </remarks>
internal static class Chapter6
{
    private const int MiniBatch = 10;

    /// <summary>The rows' names, in the book's order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["fc100", "conv1", "conv2", "relu", "expanded", "expanded-fc", "dropout", "ensemble"];

    /// <summary>The rows named in a comma-separated list, or all of them for "chapter6"; else a <see cref="UsageError"/>.</summary>
    public static IReadOnlyList<Experiment> Select(string names, int members)
    {
        string[] wanted = names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (wanted.Length == 0)
        {
            throw new UsageError($"--experiment needs a name: {string.Join(", ", Names)} or chapter6.");
        }

        if (wanted is ["chapter6"])
        {
            return [.. Names.Select(n => Row(n, members))];
        }

        if (wanted.Contains("chapter6"))
        {
            throw new UsageError($"--experiment: chapter6 names all the rows; give it alone, or list the rows you want ({string.Join(", ", Names)}).");
        }

        foreach (string name in wanted)
        {
            if (!Names.Contains(name))
            {
                string? near = DeepLearning.Registry.Closest(name, Names.Concat(["chapter6"]));
                throw new UsageError($"--experiment '{name}' is not a chapter-6 row{(near is null ? "" : $" (did you mean {near}?)")}; the rows: {string.Join(", ", Names)}, or chapter6 for all.");
            }
        }

        return [.. wanted.Distinct().Select(n => Row(n, members))];
    }

    private static Experiment Row(string name, int members) => name switch
    {
        "fc100" => Make(name, "[784, 100, 10] sigmoid, η 0.1, 60 epochs", 0.9780, [Fc(100, "sigmoid")], 0.1, 0, 60),
        "conv1" => Make(name, "+ one ConvPool, 20 filters", 0.9878, [Conv(20, "sigmoid"), Fc(100, "sigmoid")], 0.1, 0, 60),
        "conv2" => Make(name, "+ a second ConvPool, 40 filters", 0.9906, [Conv(20, "sigmoid"), Conv(40, "sigmoid"), Fc(100, "sigmoid")], 0.1, 0, 60),
        "relu" => Make(name, "ReLU, η 0.03, λ 0.1", 0.9923, [Conv(20, "relu"), Conv(40, "relu"), Fc(100, "relu")], 0.03, 0.1, 60),
        "expanded" => Make(name, "ReLU on the expanded data (250,000 images)", 0.9937, [Conv(20, "relu"), Conv(40, "relu"), Fc(100, "relu")], 0.03, 0.1, 60, expanded: true),
        "expanded-fc" => Make(name, "expanded, + a second fully connected layer of 100", 0.9943, [Conv(20, "relu"), Conv(40, "relu"), Fc(100, "relu"), Fc(100, "relu")], 0.03, 0.1, 60, expanded: true),
        "dropout" => Make(name, "expanded, fully connected 1000–1000, dropout 0.5, 40 epochs", 0.9960, Dropout(), 0.03, 0.1, 40, expanded: true),
        "ensemble" => Make(name, $"the vote of {members} dropout networks", 0.9967, Dropout(), 0.03, 0.1, 40, expanded: true, members) with { RunName = "dropout" },
        _ => throw new UsageError($"--experiment '{name}' is not a chapter-6 row."),
    };

    // Dropout 0.5 on the inputs of both fully connected layers and of the softmax layer.
    private static string[] Dropout() => [Conv(20, "relu"), Conv(40, "relu"), "dropout(0.5)", Fc(1000, "relu"), "dropout(0.5)", Fc(1000, "relu"), "dropout(0.5)"];

    private static Experiment Make(string name, string title, double book, string[] hidden, double eta, double lambda, int epochs, bool expanded = false, int members = 1)
    {
        string specs = string.Join(" ", [.. hidden, "dense(10,init=zeros)"]);
        return new Experiment(
            name,
            $"ch. 6 {name}: {title}",
            specs,
            book,
            seed => Build(specs, seed),
            Loss.CrossEntropy,
            eta,
            lambda > 0 ? new L2(lambda * MiniBatch) : null,
            epochs,
            expanded,
            members)
        { BookQuotes = Quoted.TestAtBestValidation };
    }

    private static Network<float> Build(string specs, int seed)
    {
        var builder = new NetworkBuilder<float>(new FeatureShape(1, 28, 28), seed);
        foreach (string spec in specs.Split(' ')) // no spec here holds a space
        {
            builder.Add(spec);
        }

        return builder.Build();
    }

    // A ConvPool layer: F filters of 5×5, then 2×2 max-pooling; n_out = F·25/4.
    private static string Conv(int filters, string activation)
        => string.Create(CultureInfo.InvariantCulture, $"conv2d({filters},5,{activation},init=gaussian(0,{Math.Sqrt(4.0 / (filters * 25)):0.######}),bias_init=standard_normal) maxpool2d(2)");

    private static string Fc(int size, string activation)
        => string.Create(CultureInfo.InvariantCulture, $"dense({size},{activation},init=gaussian(0,{Math.Sqrt(1.0 / size):0.######}),bias_init=standard_normal)");
}
