using System.Globalization;

namespace NameWriter;

/// <summary>
/// One rung of makemore's ladder of language models: the network as layer specs (V stands for the vocabulary size, T for
/// the positions), how it is trained, and the test loss makemore reaches with its kind of model.
/// </summary>
/// <param name="Name">--model's value.</param>
/// <param name="Description">What it is, for --help.</param>
/// <param name="Layers">The layer specs; <c>V</c> and <c>T</c> are replaced by the data's vocabulary size and positions.</param>
/// <param name="Epochs">Passes over the training names.</param>
/// <param name="LearningRate">AdamW's peak learning rate.</param>
/// <param name="WeightDecay">AdamW's decoupled weight decay.</param>
/// <param name="BatchSize">Names per step.</param>
/// <param name="Schedule">The learning-rate schedule.</param>
/// <param name="Makemore">makemore's test loss for this kind of model, in nats per character, or null where none is published.</param>
internal sealed record Rung(string Name, string Description, string Layers, int Epochs, double LearningRate, double WeightDecay, int BatchSize, string Schedule, double? Makemore)
{
    /// <summary>The optimizer spec: AdamW with makemore's betas (0.9, 0.99).</summary>
    public string Optimizer => string.Create(CultureInfo.InvariantCulture, $"adamw(lr={LearningRate}, beta1=0.9, beta2=0.99, weight_decay={WeightDecay})");

    /// <summary>The layer specs for a vocabulary of <paramref name="vocabulary"/> tokens and <paramref name="positions"/> positions.</summary>
    public string LayersFor(int vocabulary, int positions) => Substitute(Layers, vocabulary, positions);

    /// <summary>Replaces the words V and T of a spec by the vocabulary size and the positions.</summary>
    public static string Substitute(string layers, int vocabulary, int positions)
        => System.Text.RegularExpressions.Regex.Replace(layers, @"\b[VT]\b", m => (m.Value == "V" ? vocabulary : positions).ToString(CultureInfo.InvariantCulture));
}

/// <summary>The ladder, from counting pairs of letters to a small GPT.</summary>
internal static class Ladder
{
    /// <summary>The rungs, in order; the last is the default.</summary>
    public static IReadOnlyList<Rung> Rungs { get; } =
    [
        new("bigram", "a table: the next character's logits from the last character alone (embedding(V,V))",
            "embedding(V,V)", 5, 0.05, 0, 32, "cosine", 2.45),
        new("mlp", "Bengio et al. 2003: the embeddings of all characters so far, side by side, through a tanh layer",
            "embedding(V,64) context(T) dense(64,tanh) dense(V)", 10, 3e-3, 0.01, 32, "cosine(warmup=200)", 2.1),
        new("rnn", "Mikolov et al. 2010: a recurrent layer carries a state from character to character",
            "embedding(V,64) rnn(64) dense(V)", 10, 3e-3, 0.01, 32, "cosine(warmup=200)", null),
        new("gru", "Cho et al. 2014: a recurrent layer with gates that decide what to keep",
            "embedding(V,64) gru(64) dense(V)", 10, 3e-3, 0.01, 32, "cosine(warmup=200)", null),
        new("transformer", "Vaswani et al. 2017, as in GPT: 4 blocks of causal self-attention (4 heads) and a feed-forward layer, 64 channels",
            "embedding(V,64) position_embedding sequential(residual(layer_norm self_attention(4) dropout(0.2)) residual(layer_norm dense(256,gelu_tanh) dense(64) dropout(0.2)), times=4) layer_norm dense(V, bias=false)",
            30, 2e-3, 0.01, 64, "cosine(warmup=250)", 1.92),
    ];

    /// <summary>The default rung: the transformer.</summary>
    public static Rung Default => Rungs[^1];

    /// <summary>The rung of a name, or null.</summary>
    public static Rung? Find(string name) => Rungs.FirstOrDefault(r => r.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
