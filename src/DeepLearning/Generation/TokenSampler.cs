using System.Globalization;
using System.Numerics;
using DeepLearning.Training;

namespace DeepLearning.Generation;

/// <summary>
/// Writes text with a language model: draws each next token from the probabilities the network gives for it, feeds it
/// back, and goes on — how a character-level model invents names. The same seed draws the same tokens.
/// </summary>
/// <remarks>
/// <para>
/// <b>One draw.</b> The logits z of the next token become probabilities p = softmax(z/τ): the <see cref="Temperature"/> τ
/// sharpens them below 1 (safer, duller text) and flattens them above 1 (bolder, stranger text). With
/// <see cref="TopK"/> = k only the k most likely tokens may be drawn (the others' probabilities set to 0, the rest
/// renormalized). A uniform number u from the seeded <see cref="Random"/> picks the token where the running sum of p
/// first exceeds u.
/// </para>
/// <para>
/// <b>A sequence.</b> <see cref="Generate{T}"/> runs a network that predicts the next token at every position of a
/// sequence of T ids (its input T×1 or T, its output T×V): every text starts with the start token at position 0; at
/// step t the logits of position t give token t + 1, which goes into position t + 1. A position sees only those before
/// it in such a network (embeddings, windows, recurrent layers, causal attention), so the positions not yet written —
/// filled with the start token — change nothing. A text ends at the end token or after T tokens. All texts are written
/// together, one batch per step.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var sampler = new TokenSampler(temperature: 0.8, topK: 10);
/// IReadOnlyList&lt;int[]&gt; names = sampler.Generate(network, count: 20, startToken: 0, endToken: 0, new Random(1));
/// </code>
/// </example>
public sealed class TokenSampler
{
    /// <summary>Creates a sampler.</summary>
    /// <param name="temperature">τ, positive and finite; 1 draws from the model's own probabilities.</param>
    /// <param name="topK">Draw only among the k most likely tokens, at least 1; null for all.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public TokenSampler(double temperature = 1, int? topK = null)
    {
        Temperature = Preconditions.CheckPositiveFinite(temperature, nameof(temperature));
        TopK = topK is { } k ? Preconditions.CheckPositive(k, nameof(topK)) : null;
    }

    /// <summary>τ: the logits are divided by it before the softmax.</summary>
    public double Temperature { get; }

    /// <summary>How many of the most likely tokens may be drawn; null for all.</summary>
    public int? TopK { get; }

    /// <summary>The probabilities a draw uses: softmax(logits/τ), only the <see cref="TopK"/> most likely kept (ties at the edge kept by their order).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="logits">The next token's logits, one per token of the vocabulary.</param>
    /// <returns>A new array of probabilities summing to 1.</returns>
    /// <exception cref="ArgumentException">No logits are given, or one is NaN.</exception>
    public double[] Probabilities<T>(ReadOnlySpan<T> logits)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (logits.IsEmpty)
        {
            throw new ArgumentException("There are no logits to draw from.", nameof(logits));
        }

        var p = new double[logits.Length];
        double max = double.NegativeInfinity;
        for (int v = 0; v < p.Length; v++)
        {
            p[v] = double.CreateChecked(logits[v]) / Temperature;
            max = double.IsNaN(p[v]) ? throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"logit {v} is NaN."), nameof(logits)) : Math.Max(max, p[v]);
        }

        // Top k: the k-th largest is the threshold; values above it are kept, and of the values equal to it, the first ones.
        double threshold = double.NegativeInfinity;
        int ties = p.Length;
        if (TopK is { } k && k < p.Length)
        {
            double[] sorted = [.. p];
            Array.Sort(sorted);
            threshold = sorted[^k];
            ties = k - p.Count(value => value > threshold);
        }

        double sum = 0;
        for (int v = 0; v < p.Length; v++)
        {
            bool keep = p[v] > threshold || (p[v] == threshold && ties-- > 0);
            p[v] = keep ? Math.Exp(p[v] - max) : 0;
            sum += p[v];
        }

        for (int v = 0; v < p.Length; v++)
        {
            p[v] /= sum;
        }

        return p;
    }

    /// <summary>Draws the next token from its logits (see <see cref="Probabilities{T}"/>).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="logits">The next token's logits.</param>
    /// <param name="random">The seeded source of the draw.</param>
    /// <returns>The token.</returns>
    public int Sample<T>(ReadOnlySpan<T> logits, Random random)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(random, nameof(random));
        double[] p = Probabilities(logits);
        double u = random.NextDouble(), sum = 0;
        int last = 0;
        for (int v = 0; v < p.Length; v++)
        {
            if (p[v] == 0)
            {
                continue;
            }

            (sum, last) = (sum + p[v], v);
            if (u < sum)
            {
                return v;
            }
        }

        return last; // u within rounding of 1
    }

    /// <summary>Writes <paramref name="count"/> texts with a next-token network, all at once (see the remarks).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="network">A network from T ids (T×1 or T) to T×V logits: the next token at every position.</param>
    /// <param name="count">How many texts, at least 1.</param>
    /// <param name="startToken">The token every text starts with (and the positions not yet written hold).</param>
    /// <param name="endToken">The token that ends a text (not included in it).</param>
    /// <param name="random">The seeded source of the draws: the same seed writes the same texts.</param>
    /// <returns>The texts, as tokens, without their start and end tokens.</returns>
    /// <exception cref="ArgumentException">The network does not map T ids to T positions of logits.</exception>
    public IReadOnlyList<int[]> Generate<T>(Network<T> network, int count, int startToken, int endToken, Random random)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(network, nameof(network));
        Preconditions.CheckNotNull(random, nameof(random));
        Preconditions.CheckPositive(count, nameof(count));
        FeatureShape input = network.InputShape, output = network.OutputShape;
        int positions = input.IsSequence ? input.Positions : input.Channels;
        if (!(input.IsFlat || (input.IsSequence && input.Features == 1)) || !output.IsSequence || output.Positions != positions)
        {
            throw new ArgumentException($"{network}: a writer needs a network from T token ids to the next token's logits at each of the T positions (T×V); this one maps {input} to {output}.", nameof(network));
        }

        int vocabulary = output.Features;
        var x = new Tensor<T>(count, positions);
        x.AsSpan().Fill(T.CreateChecked(startToken));
        var texts = new List<int>[count];
        var done = new bool[count];
        var logits = new T[vocabulary];
        for (int t = 0; t < positions && done.Contains(false); t++)
        {
            Tensor<T> z = network.Outputs(x);
            for (int i = 0; i < count; i++)
            {
                if (done[i])
                {
                    continue;
                }

                for (int v = 0; v < vocabulary; v++)
                {
                    logits[v] = z[i, (v * positions) + t];
                }

                int token = Sample<T>(logits, random);
                texts[i] ??= [];
                if (token == endToken)
                {
                    done[i] = true;
                    continue;
                }

                texts[i].Add(token);
                if (t + 1 < positions)
                {
                    x[i, t + 1] = T.CreateChecked(token);
                }
            }
        }

        return [.. texts.Select(text => (text ?? []).ToArray())];
    }
}
