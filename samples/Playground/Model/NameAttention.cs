using DeepLearning;
using DeepLearning.Training;
using DeepLearning.Layers;
using DeepLearning.Text;

namespace Playground.Model;

/// <summary>
/// A name read by a transformer, with every attention weight kept: for each self-attention layer and head, row t says how
/// much position t (the start token, then each letter) took from each position j ≤ t — which earlier letters it looked
/// at to guess the next one. A cell is explained with its numbers by <see cref="Explain"/>.
/// </summary>
public sealed class NameAttention
{
    private readonly float[][,] _weights, _queries, _keys;

    /// <summary>Reads <paramref name="name"/> with <paramref name="network"/> and keeps what its attention layers computed.</summary>
    /// <param name="network">A next-character network whose vocabulary is <paramref name="vocabulary"/>.</param>
    /// <param name="vocabulary">The characters it knows.</param>
    /// <param name="name">The name: characters of the vocabulary, shorter than the network's positions.</param>
    /// <exception cref="ArgumentException">The name is empty, too long or has a character the network does not know.</exception>
    public NameAttention(Network<float> network, CharacterVocabulary vocabulary, string name)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(name);
        int positions = network.InputShape.Positions;
        if (name.Length == 0)
        {
            throw new ArgumentException("Type a name to see where its letters look.", nameof(name));
        }

        int[] tokens = vocabulary.Encode(name); // names the character it does not know
        if (tokens.Length >= positions)
        {
            throw new ArgumentException($"The network reads at most {positions - 1} letters; '{name}' has {tokens.Length}.", nameof(name));
        }

        Name = name;
        Symbols = [".", .. tokens.Select(vocabulary.Symbol)];
        var x = new Tensor<float>(1, positions);
        for (int t = 0; t < tokens.Length; t++)
        {
            x[0, t + 1] = tokens[t];
        }

        Tensor<float> logits = network.Outputs(x);
        Layers = [.. AttentionLayers(network.Layers)];
        int count = Layers.Count == 0 ? 0 : Layers.Sum(l => l.Heads);
        (_weights, _queries, _keys) = (new float[count][,], new float[count][,], new float[count][,]);
        int index = 0;
        foreach (SelfAttention<float> layer in Layers)
        {
            for (int h = 0; h < layer.Heads; h++, index++)
            {
                (_weights[index], _queries[index], _keys[index]) = (layer.Weights(0, h), layer.Queries(0, h), layer.Keys(0, h));
            }
        }

        // The next character's probabilities at each position: what the looking is for.
        int v = network.OutputShape.Features;
        Next = new (string, double)[Symbols.Length];
        for (int t = 0; t < Symbols.Length; t++)
        {
            double max = double.NegativeInfinity;
            for (int c = 0; c < v; c++)
            {
                max = Math.Max(max, logits[0, (c * positions) + t]);
            }

            double sum = 0, best = double.NegativeInfinity;
            int bestToken = 0;
            for (int c = 0; c < v; c++)
            {
                double z = logits[0, (c * positions) + t];
                sum += Math.Exp(z - max);
                if (z > best)
                {
                    (best, bestToken) = (z, c);
                }
            }

            Next[t] = (vocabulary.Symbol(bestToken), Math.Exp(best - max) / sum);
        }
    }

    /// <summary>The name read.</summary>
    public string Name { get; }

    /// <summary>The positions' symbols: "." (the start) and the name's letters.</summary>
    public string[] Symbols { get; }

    /// <summary>The network's self-attention layers, in the order the input meets them.</summary>
    public IReadOnlyList<SelfAttention<float>> Layers { get; }

    /// <summary>At each position, the most likely next character and its probability.</summary>
    public (string Symbol, double Probability)[] Next { get; }

    /// <summary>How much position <paramref name="t"/> took from position <paramref name="j"/> in one layer and head.</summary>
    public double Weight(int layer, int head, int t, int j) => _weights[Index(layer, head)][t, j];

    /// <summary>The numbers behind one weight: q_t, k_j, their dot product over √d, the mask, and the softmax of row t.</summary>
    public AttentionExplanation Explain(int layer, int head, int t, int j)
    {
        int index = Index(layer, head);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)t, (uint)Symbols.Length, nameof(t));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)j, (uint)Symbols.Length, nameof(j));
        float[,] q = _queries[index], k = _keys[index];
        int d = q.GetLength(1);
        double scale = Math.Sqrt(d);
        double Score(int column)
        {
            double dot = 0;
            for (int e = 0; e < d; e++)
            {
                dot += (double)q[t, e] * k[column, e];
            }

            return dot / scale;
        }

        double[] row = [.. Enumerable.Range(0, Symbols.Length).Select(c => c <= t ? Score(c) : double.NegativeInfinity)];
        double max = row.Max();
        double[] exps = [.. row.Select(s => Math.Exp(s - max))];
        double sum = exps.Sum();
        double[] query = [.. Enumerable.Range(0, d).Select(e => (double)q[t, e])], key = [.. Enumerable.Range(0, d).Select(e => (double)k[j, e])];
        return new AttentionExplanation(layer, head, t, j, query, key, query.Zip(key, (a, b) => a * b).Sum(), scale, row, max, exps, sum, exps[j] / sum, _weights[index][t, j]);
    }

    private int Index(int layer, int head)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)layer, (uint)Layers.Count, nameof(layer));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)head, (uint)Layers[layer].Heads, nameof(head));
        return Layers.Take(layer).Sum(l => l.Heads) + head;
    }

    /// <summary>Whether a network has a self-attention layer anywhere, blocks included: whether there is attention to draw.</summary>
    public static bool HasAttention(Network<float> network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return AttentionLayers(network.Layers).Any();
    }

    /// <summary>The self-attention layers of a list of layers and of the blocks inside them, depth first.</summary>
    private static IEnumerable<SelfAttention<float>> AttentionLayers(IEnumerable<ILayer<float>> layers)
        => layers.SelectMany(l => l is SelfAttention<float> a ? [a] : AttentionLayers(l.Children));
}

/// <summary>One attention weight explained: position <paramref name="T"/>'s score for position <paramref name="J"/> and the softmax of its row.</summary>
/// <param name="Layer">The attention layer (0 the first).</param>
/// <param name="Head">The head.</param>
/// <param name="T">The position looking (its query).</param>
/// <param name="J">The position looked at (its key).</param>
/// <param name="Query">q_t, d numbers.</param>
/// <param name="Key">k_j, d numbers.</param>
/// <param name="Dot">q_t·k_j.</param>
/// <param name="Scale">√d.</param>
/// <param name="Scores">Row t's scores q_t·k_c/√d, −∞ for the masked c &gt; t.</param>
/// <param name="Max">The row's largest score, subtracted before exp so that no exp overflows.</param>
/// <param name="Exps">exp(score − max) for each c (0 where masked).</param>
/// <param name="Sum">Their sum.</param>
/// <param name="Weight">exp(score_j − max)/sum, computed here.</param>
/// <param name="LayerWeight">The weight the layer itself computed: the same to within float rounding.</param>
public sealed record AttentionExplanation(
    int Layer, int Head, int T, int J, double[] Query, double[] Key, double Dot, double Scale, double[] Scores, double Max, double[] Exps, double Sum, double Weight, double LayerWeight)
{
    /// <summary>Whether the mask hides position J from position T (J comes after T).</summary>
    public bool Masked => J > T;
}
