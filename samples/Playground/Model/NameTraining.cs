using System.Globalization;
using DeepLearning;
using DeepLearning.Data;
using DeepLearning.Generation;
using DeepLearning.Layers;
using DeepLearning.Losses;
using DeepLearning.Optimizers;
using DeepLearning.Text;
using DeepLearning.Training;

namespace Playground.Model;

/// <summary>One of the networks the Names page trains: its layer specs (V the vocabulary size, T the positions) and its learning rate.</summary>
/// <param name="Name">The switch's value and the address's <c>model=</c>.</param>
/// <param name="Title">What it is, in a few words.</param>
/// <param name="Layers">The layer specs.</param>
/// <param name="LearningRate">AdamW's learning rate, constant: the page trains for as long as the reader lets it.</param>
public sealed record NameModel(string Name, string Title, string Layers, double LearningRate)
{
    /// <summary>The specs for a vocabulary of <paramref name="vocabulary"/> tokens and <paramref name="positions"/> positions: each word V or T replaced.</summary>
    /// <remarks>Written out rather than with a regular expression, which would bring .NET's regex engine (130 KB) into the page's first load.</remarks>
    public string LayersFor(int vocabulary, int positions)
    {
        static bool Word(char c) => char.IsLetterOrDigit(c) || c == '_';
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < Layers.Length; i++)
        {
            char c = Layers[i];
            bool alone = (i == 0 || !Word(Layers[i - 1])) && (i + 1 == Layers.Length || !Word(Layers[i + 1]));
            text.Append(alone && (c is 'V' or 'T') ? (c == 'V' ? vocabulary : positions).ToString(CultureInfo.InvariantCulture) : c.ToString());
        }

        return text.ToString();
    }
}

/// <summary>
/// "Train it here" on the Names page: a character-level language model learning the names in the page, one mini-batch of
/// names per step — the name writer's library calls (per-position cross-entropy on logits, backward, AdamW) — with the
/// training and validation losses on a curve and new names written as it learns.
/// </summary>
public sealed class NameTraining : PageTraining
{
    /// <summary>
    /// The transformer: the network of the shipped model (eng/make-playground-names.sh trains it with these specs), two
    /// blocks of causal self-attention with four heads of 8 numbers, 32 channels.
    /// </summary>
    public static NameModel Transformer { get; } = new(
        "transformer", "a small GPT: 2 blocks of causal self-attention (4 heads) and a feed-forward layer, 32 channels",
        "embedding(V,32) position_embedding sequential(residual(layer_norm self_attention(4) dropout(0.1)) residual(layer_norm dense(128,gelu_tanh) dense(32) dropout(0.1)), times=2) layer_norm dense(V, bias=false)",
        0.003);

    /// <summary>The models on the page's switch: the transformer, Bengio's MLP over the last four characters, a GRU.</summary>
    public static IReadOnlyList<NameModel> Models { get; } =
    [
        Transformer,
        new("mlp", "Bengio et al. 2003: the last 4 characters' embeddings side by side through a tanh layer",
            "embedding(V,16) context(4) dense(128,tanh) dense(V)", 0.005),
        new("gru", "Cho et al. 2014: a recurrent layer with gates carries a state from letter to letter",
            "embedding(V,32) gru(64) dense(V)", 0.005),
    ];

    /// <summary>Names per step.</summary>
    public const int BatchSize = 32;

    /// <summary>The validation loss is measured, and a point added to the curve, every this many steps.</summary>
    public const int EvaluateEvery = 25;

    private readonly List<LossPoint> _curve = [];

    /// <summary>Starts <paramref name="model"/> from seeded random weights.</summary>
    /// <param name="names">The names, split.</param>
    /// <param name="model">The network to train, one of <see cref="Models"/> (or any whose specs end in V logits per position).</param>
    /// <param name="seed">Seeds the weights, the dropout and the order of the names: the same seed, the same run.</param>
    public NameTraining(NameData names, NameModel model, int seed)
        : base(Build(names, model, seed), names.Encode(names.Train), Optimizer(model), BatchSize, EvaluateEvery, seed)
    {
        Names = names;
        Model = model;
        names.Vocabulary.WriteTo(Network);
        Validation = names.Encode(names.Dev);
        Evaluate(); // the untrained network's point: step 0, no training loss yet
    }

    /// <summary>The names and their vocabulary.</summary>
    public NameData Names { get; }

    /// <summary>The model trained.</summary>
    public NameModel Model { get; }

    /// <summary>The validation names as next-character data.</summary>
    public DataSet<float> Validation { get; }

    /// <summary>The loss on every validation name, measured every <see cref="EvaluateEvery"/> steps.</summary>
    public double DevLoss { get; private set; }

    /// <summary>The curve: the untrained network's validation loss, then both losses every <see cref="EvaluateEvery"/> steps.</summary>
    public IReadOnlyList<LossPoint> Curve => _curve;

    /// <inheritdoc/>
    /// <remarks>The loss on every validation name, and a point of the curve.</remarks>
    protected override void Evaluate()
    {
        DevLoss = Network.Evaluate(Validation, TrainingLoss).Loss;
        _curve.Add(new LossPoint(Step, Loss, DevLoss));
    }

    /// <summary>The network of <paramref name="model"/> for the names' vocabulary and positions, seeded.</summary>
    private static Network<float> Build(NameData names, NameModel model, int seed)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(model);
        var builder = new NetworkBuilder<float>(FeatureShape.Sequence(names.Positions, 1), seed);
        foreach (string spec in LayerRegistry.SplitSpecs(model.LayersFor(names.Vocabulary.Count, names.Positions)))
        {
            builder.Add(spec);
        }

        return builder.Build(DeepLearning.Losses.Loss.CrossEntropy);
    }

    /// <summary>AdamW at the model's learning rate with makemore's betas (0.9, 0.99) and weight decay 0.01.</summary>
    private static IOptimizer Optimizer(NameModel model)
        => Registries.Optimizers.Create(string.Create(CultureInfo.InvariantCulture, $"adamw(lr={model.LearningRate}, beta1=0.9, beta2=0.99, weight_decay=0.01)"));

    /// <summary>
    /// New names from a network: each starts with the boundary token, draws its next character from the softmax of the
    /// logits, and ends when the network writes the boundary again — the name writer's <see cref="TokenSampler"/>.
    /// </summary>
    /// <param name="network">A next-character network.</param>
    /// <param name="vocabulary">Its vocabulary.</param>
    /// <param name="count">How many names.</param>
    /// <param name="seed">Seeds the draws: the same seed and weights, the same names.</param>
    public static string[] Write(Network<float> network, CharacterVocabulary vocabulary, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        return [.. new TokenSampler().Generate(network, count, CharacterVocabulary.Boundary, CharacterVocabulary.Boundary, new Random(seed)).Select(vocabulary.Decode)];
    }
}

/// <summary>A point of the loss curve.</summary>
/// <param name="Step">The step.</param>
/// <param name="Train">The smoothed training loss (NaN at step 0).</param>
/// <param name="Dev">The validation loss.</param>
public readonly record struct LossPoint(int Step, double Train, double Dev);
