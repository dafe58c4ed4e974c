using System.Globalization;
using System.Numerics;
using System.Text;
using DeepLearning.Data;
using DeepLearning.Layers;
using DeepLearning.Losses;
using DeepLearning.Metrics;

namespace DeepLearning.Training;

/// <summary>
/// A feed-forward network: a sequence of layers, where each layer's output is the next layer's input,
/// x → h1 → h2 → … → y.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// <para>
/// <see cref="Forward(Tensor{T})"/> runs forward propagation; <see cref="ComputeGradients(Tensor{T}, Tensor{T}, ILoss)"/> runs forward propagation, the loss and
/// backward propagation, leaving ∂L/∂W and ∂L/∂b in every layer's <see cref="ILayer{T}.Parameters"/>;
/// <c>Fit</c> repeats that over mini-batches and epochs with an optimizer. The training loop is the one place that
/// knows layers, loss and optimizer together.
/// </para>
/// <para>Build one with <see cref="NetworkBuilder{T}"/> or from layers whose sizes chain. Not thread-safe.</para>
/// </remarks>
/// <example>
/// <code>
/// var network = new NetworkBuilder&lt;double&gt;(inputs: 2, seed: 1)
///     .Dense(8, Activation.Tanh)
///     .Dense(1, Activation.Sigmoid)
///     .Build();
/// network.Fit(x, y, Loss.BinaryCrossEntropy, new GradientDescent(0.5), new TrainingOptions { Epochs = 500, BatchSize = 4 });
/// </code>
/// </example>
public sealed partial class Network<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int EvaluationBatchSize = 1024;
    private readonly ILayer<T>[] _layers;
    private readonly Parameter<T>[] _parameters;
    private readonly Dictionary<int, Tensor<T>> _outputGradients = [];
    private Tensor<T>? _lastOutput;
    private readonly Dictionary<(int Rows, int Columns), Tensor<T>> _evaluationInputs = [];
    private readonly Dictionary<(int Rows, int Columns), Tensor<T>> _evaluationTargets = [];
    private readonly Dictionary<(int Rows, int Columns), Tensor<T>> _evaluationPredictions = [];
    private readonly ViewCache<T> _views = new();

    /// <summary>Creates a network from layers whose shapes chain: each layer takes what the previous one produces.</summary>
    /// <param name="layers">The layers, first (input side) to last (output side).</param>
    /// <exception cref="ArgumentException">No layers are given, or two neighbouring layers' shapes do not chain.</exception>
    /// <remarks>
    /// Shapes chain when they are equal, or when the later layer takes a flat vector of as many values (a dense layer reads
    /// an image as its C·H·W values).
    /// </remarks>
    public Network(params IEnumerable<ILayer<T>> layers)
    {
        Preconditions.CheckNotNull(layers, nameof(layers));
        _layers = [.. layers];
        if (_layers.Length == 0)
        {
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        }

        for (int i = 0; i < _layers.Length; i++)
        {
            Preconditions.CheckNotNull(_layers[i], $"layers[{i}]");
            if (i > 0 && !_layers[i - 1].OutputShape.ChainsTo(_layers[i].InputShape))
            {
                throw new ArgumentException(
                    $"Layer shapes do not chain: layer {i + 1} {_layers[i].Name} expects {_layers[i].InputShape}, but layer {i} {_layers[i - 1].Name} produces {_layers[i - 1].OutputShape}.",
                    nameof(layers));
            }
        }

        _parameters = [.. _layers.SelectMany(layer => layer.Parameters)];
        Parameters = _parameters.AsReadOnly();
        State = _layers.SelectMany(layer => layer.State).ToList().AsReadOnly();
        Layers = _layers.AsReadOnly();
    }

    /// <summary>The layers, from input side to output side.</summary>
    public IReadOnlyList<ILayer<T>> Layers { get; }

    /// <summary>Every trainable parameter of every layer, in layer order.</summary>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>
    /// Every value of every layer that is kept but not trained (see <see cref="ILayer{T}.State"/>: running statistics,
    /// counts), in layer order; saved and loaded with the parameters.
    /// </summary>
    public IReadOnlyList<Parameter<T>> State { get; }

    /// <summary>The number of inputs (features per sample) the first layer expects: <see cref="InputShape"/>.Size.</summary>
    public int InputSize => _layers[0].InputSize;

    /// <summary>The number of outputs of the last layer.</summary>
    public int OutputSize => _layers[^1].OutputSize;

    /// <summary>The shape of one input sample: <c>784</c>, or <c>1×28×28</c> for a network that starts with a convolution.</summary>
    public FeatureShape InputShape => _layers[0].InputShape;

    /// <summary>The shape of one output sample.</summary>
    public FeatureShape OutputShape => _layers[^1].OutputShape;

    /// <summary>
    /// The loss the network is trained with, which says what its outputs mean: <see cref="Predict(Tensor{T})"/> applies
    /// its head (the softmax of <see cref="CrossEntropy"/>, the σ of <see cref="BinaryCrossEntropy"/>), and the model file,
    /// safetensors and ONNX store it. <see langword="null"/> until set, by the builder or by <c>Fit</c>, which records the
    /// loss it trains with.
    /// </summary>
    public ILoss? Loss { get; set; }

    /// <summary>
    /// Text that belongs with the network and is neither a parameter nor state: what its inputs and outputs stand for, such
    /// as a language model's vocabulary (<see cref="Text.CharacterVocabulary"/> stores its characters under
    /// <c>vocabulary</c>), where it was trained, a licence. Empty until set; kept in key order (ordinal). The model file,
    /// safetensors (<c>__metadata__</c>) and ONNX (<c>metadata_props</c>) store it and bring it back.
    /// </summary>
    /// <remarks>
    /// A key is 1 to 256 UTF-8 bytes without control characters; a value at most 65,536 bytes; at most 1,000 entries; the
    /// keys <c>format</c> and those starting with <c>deeplearning.</c> belong to safetensors and the library. Saving checks
    /// these rules first (<see cref="NotSupportedException"/>).
    /// </remarks>
    public IDictionary<string, string> Metadata { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The number of trainable values (weights and biases).</summary>
    public long ParameterCount => _parameters.Sum(p => (long)p.Count);

    /// <summary>Forward propagation through every layer: h1 = σ(x·W1 + b1), h2 = σ(h1·W2 + b2), …</summary>
    /// <param name="inputs">The batch X, m×<see cref="InputSize"/>.</param>
    /// <returns>The last layer's output, m×<see cref="OutputSize"/>, owned by that layer (use <see cref="Predict(Tensor{T})"/> for a copy).</returns>
    /// <exception cref="ArgumentException">The input does not have <see cref="InputSize"/> columns.</exception>
    public Tensor<T> Forward(Tensor<T> inputs) => Forward(inputs, training: false);

    /// <summary>
    /// Forward propagation in training mode — dropout drops, batch normalization uses the batch's statistics and updates
    /// its running ones — or in inference mode, as <see cref="Forward(Tensor{T})"/>. A training-mode pass changes the
    /// layers' <see cref="State"/>.
    /// </summary>
    /// <param name="inputs">The batch X, m×<see cref="InputSize"/>.</param>
    /// <param name="training">Whether the pass is for training.</param>
    /// <returns>The last layer's output, owned by that layer.</returns>
    /// <exception cref="ArgumentException">The input does not have <see cref="InputSize"/> columns.</exception>
    public Tensor<T> Forward(Tensor<T> inputs, bool training)
    {
        Tensor<T> h = inputs;
        foreach (ILayer<T> layer in _layers)
        {
            h = layer.Forward(h, training);
        }

        _lastOutput = h;
        return h;
    }

    /// <summary>
    /// Backward propagation after <see cref="Forward(Tensor{T})"/>: from the loss of the last forward pass's output, computes every
    /// parameter's gradient, last layer first. <see cref="ComputeGradients(Tensor{T}, Tensor{T}, ILoss)"/> does forward and backward in one call.
    /// </summary>
    /// <param name="targets">The targets Y of the batch that was forwarded, m×<see cref="OutputSize"/>.</param>
    /// <param name="loss">The loss L.</param>
    /// <exception cref="InvalidOperationException">No forward pass has been made.</exception>
    /// <exception cref="ArgumentException">The targets' shape is not that of the last output.</exception>
    public void Backward(Tensor<T> targets, ILoss loss)
    {
        Preconditions.CheckNotNull(loss, nameof(loss));
        Tensor<T> a = _lastOutput ?? throw new InvalidOperationException($"{this}.Backward: no forward pass yet; call Forward first.");
        CheckTargets(a.Rows, targets, loss, nameof(Backward));
        Tensor<T> gradient = OutputGradient(a.Rows);
        loss.Gradient(ByPosition(a), ByPosition(targets), ByPosition(gradient));
        Propagate(gradient);
    }

    /// <summary>
    /// Computes the gradient of the loss with respect to every parameter for one batch: forward propagation, the loss,
    /// then backward propagation from the last layer to the first. The gradients are left in <see cref="Parameters"/>.
    /// </summary>
    /// <param name="inputs">The batch X, m×<see cref="InputSize"/>.</param>
    /// <param name="targets">The targets Y, m×<see cref="OutputSize"/>.</param>
    /// <param name="loss">The loss L.</param>
    /// <returns>The loss of the batch before any update.</returns>
    /// <exception cref="ArgumentException">A shape does not match the network.</exception>
    public T ComputeGradients(Tensor<T> inputs, Tensor<T> targets, ILoss loss) => ComputeGradients(inputs, targets, loss, training: true);

    /// <summary>
    /// <see cref="ComputeGradients(Tensor{T}, Tensor{T}, ILoss)"/> in training mode or in inference mode (where dropout
    /// drops nothing and batch normalization uses its running averages).
    /// </summary>
    /// <param name="inputs">The batch X, m×<see cref="InputSize"/>.</param>
    /// <param name="targets">The targets Y, m×<see cref="OutputSize"/> (or class indices, for a loss that takes them).</param>
    /// <param name="loss">The loss L.</param>
    /// <param name="training">Whether the forward pass is a training pass (it then changes the layers' <see cref="State"/>).</param>
    /// <returns>The loss of the batch before any update.</returns>
    /// <exception cref="ArgumentException">A shape does not match the network.</exception>
    public T ComputeGradients(Tensor<T> inputs, Tensor<T> targets, ILoss loss, bool training) => ComputeGradients(inputs, targets, loss, training, out _);

    /// <summary>The loss of one forward pass (in training or inference mode), each position of a sequence scored.</summary>
    internal T LossOf(Tensor<T> inputs, Tensor<T> targets, ILoss loss, bool training)
    {
        Tensor<T> a = Forward(inputs, training);
        return loss.Value(ByPosition(a), ByPosition(targets));
    }

    /// <summary>The gradients, and how many predictions the loss scored (the rows of its view with a target).</summary>
    internal T ComputeGradients(Tensor<T> inputs, Tensor<T> targets, ILoss loss, bool training, out int scored)
    {
        Preconditions.CheckNotNull(loss, nameof(loss));
        Preconditions.CheckNotNull(inputs, nameof(inputs));
        CheckTargets(inputs.Rows, targets, loss, nameof(ComputeGradients));
        Tensor<T> a = Forward(inputs, training);
        Tensor<T> gradient = OutputGradient(a.Rows);
        Tensor<T> y = ByPosition(targets);
        T value = loss.ValueAndGradient(ByPosition(a), y, ByPosition(gradient)); // the loss and ∂L/∂(outputs) in one pass
        scored = Scored(ByPosition(a), y, loss);
        Propagate(gradient);
        return value;
    }

    /// <summary>
    /// Runs the network on a batch and returns what its outputs stand for under <paramref name="loss"/>: probabilities for
    /// a network trained with <see cref="CrossEntropy"/> or <see cref="BinaryCrossEntropy"/> (whose last layer gives logits),
    /// the outputs themselves for the squared-error losses.
    /// </summary>
    /// <param name="inputs">The batch X, m×<see cref="InputSize"/>.</param>
    /// <param name="loss">The loss the network was trained with.</param>
    /// <returns>A new m×<see cref="OutputSize"/> tensor of predictions.</returns>
    /// <exception cref="ArgumentException">The input does not have <see cref="InputSize"/> columns.</exception>
    public Tensor<T> Predict(Tensor<T> inputs, ILoss loss)
    {
        Preconditions.CheckNotNull(loss, nameof(loss));
        Tensor<T> outputs = Outputs(inputs);
        Tensor<T> positions = ByPosition(outputs);
        loss.Predictions(positions, positions); // at every position of a sequence
        return outputs;
    }

    /// <summary>
    /// Runs the network on a batch and returns what its outputs stand for under its <see cref="Loss"/>: the class
    /// probabilities of a classifier trained with cross-entropy (whose last layer gives logits), the outputs themselves
    /// for the squared-error losses or when no loss is known.
    /// </summary>
    /// <param name="inputs">The batch X, m×<see cref="InputSize"/>.</param>
    /// <returns>A new m×<see cref="OutputSize"/> tensor of predictions.</returns>
    /// <exception cref="ArgumentException">The input does not have <see cref="InputSize"/> columns.</exception>
    public Tensor<T> Predict(Tensor<T> inputs)
    {
        Tensor<T> outputs = Outputs(inputs);
        Tensor<T> positions = ByPosition(outputs);
        Loss?.Predictions(positions, positions); // at every position of a sequence
        return outputs;
    }

    /// <summary>Runs the network on a batch and returns a copy of its raw outputs: the logits, for a classifier trained with cross-entropy.</summary>
    /// <param name="inputs">The batch X, m×<see cref="InputSize"/>.</param>
    /// <returns>A new m×<see cref="OutputSize"/> tensor of outputs.</returns>
    /// <exception cref="ArgumentException">The input does not have <see cref="InputSize"/> columns.</exception>
    public Tensor<T> Outputs(Tensor<T> inputs)
    {
        CheckInputs(inputs, nameof(inputs), nameof(Outputs));
        var result = new Tensor<T>(inputs.Rows, OutputSize);
        for (int start = 0; start < inputs.Rows; start += EvaluationBatchSize)
        {
            CopyRowsFrom(ForwardRows(inputs, start), result, start);
        }

        return result;
    }

    /// <summary>Runs the network on a batch and returns, for each sample, the index of its largest output: its predicted class.</summary>
    /// <param name="inputs">The batch X, m×<see cref="InputSize"/>.</param>
    /// <returns>A new array of m class indices.</returns>
    /// <exception cref="ArgumentException">The input does not have <see cref="InputSize"/> columns.</exception>
    /// <exception cref="NotSupportedException">The network's output is a sequence (use <see cref="Predict(Tensor{T})"/>: a probability for each class at each position).</exception>
    public int[] PredictClasses(Tensor<T> inputs)
    {
        CheckInputs(inputs, nameof(inputs), nameof(PredictClasses));
        if (OutputShape.IsSequence)
        {
            throw new NotSupportedException($"{this}.PredictClasses: the output is a sequence ({OutputShape}), one prediction per position; use Predict for each position's probabilities.");
        }

        var classes = new int[inputs.Rows];
        for (int start = 0; start < inputs.Rows; start += EvaluationBatchSize)
        {
            Tensor<T> output = ForwardRows(inputs, start);
            output.ArgMaxPerRow(classes.AsSpan(start, output.Rows));
        }

        return classes;
    }

    /// <summary>Measures the network on a <see cref="DataSet{T}"/>, in batches so that memory stays bounded (see <see cref="Evaluation"/>).</summary>
    /// <param name="data">The samples and their targets.</param>
    /// <param name="loss">The loss to measure.</param>
    /// <returns>The loss averaged over the predictions, and what else the targets call for: accuracy, perplexity or the errors of a regression.</returns>
    /// <exception cref="ArgumentException">A shape does not match the network.</exception>
    public Evaluation Evaluate(DataSet<T> data, ILoss loss)
    {
        Preconditions.CheckNotNull(data, nameof(data));
        return Evaluate(data.Inputs, data.Targets, loss);
    }

    /// <summary>Measures the network on a data set, in batches so that memory stays bounded (see <see cref="Evaluation"/>).</summary>
    /// <param name="inputs">X, m×<see cref="InputSize"/>.</param>
    /// <param name="targets">Y, m×<see cref="OutputSize"/> (or class indices, for a loss that takes them).</param>
    /// <param name="loss">The loss to measure.</param>
    /// <returns>The loss averaged over the predictions, and what else the targets call for: accuracy, perplexity or the errors of a regression.</returns>
    /// <remarks>
    /// The accuracy is reported when the targets are classes — class indices, or rows of 0s and 1s (one-hot rows, binary
    /// labels) — and the mean squared and absolute errors otherwise, of what the outputs stand for under the loss
    /// (<see cref="Predict(Tensor{T}, ILoss)"/>). For a sequence every position with a target is a prediction.
    /// </remarks>
    /// <exception cref="ArgumentException">A shape does not match the network.</exception>
    public Evaluation Evaluate(Tensor<T> inputs, Tensor<T> targets, ILoss loss)
    {
        Preconditions.CheckNotNull(loss, nameof(loss));
        CheckData(inputs, targets, loss, nameof(Evaluate));
        double lossSum = 0, squared = 0, absolute = 0;
        long scored = 0, correct = 0, values = 0;
        bool classes = true;
        for (int start = 0; start < inputs.Rows; start += EvaluationBatchSize)
        {
            Tensor<T> output = ByPosition(ForwardRows(inputs, start));
            Tensor<T> y = ByPosition(Rows(targets, start, _evaluationTargets));
            int count = Scored(output, y, loss);
            lossSum += count == 0 ? 0 : double.CreateChecked(loss.Value(output, y)) * count;
            scored += count;
            Tensor<T> predictions = Predictions(output, loss);
            correct += Accuracy.CountCorrect(predictions, y);
            if (y.Columns == output.Columns)
            {
                Span<T> p = predictions.AsSpan(), t = y.AsSpan();
                for (int k = 0; k < p.Length; k++)
                {
                    double e = double.CreateChecked(p[k] - t[k]);
                    (squared, absolute) = (squared + (e * e), absolute + Math.Abs(e));
                    classes &= t[k] == T.Zero || t[k] == T.One;
                }

                values += p.Length;
            }
        }

        double mean = scored == 0 ? 0 : lossSum / scored;
        bool regression = !classes && values > 0;
        return new Evaluation(mean, regression ? null : scored == 0 ? 0 : (double)correct / scored, inputs.Rows)
        {
            Predictions = scored,
            Perplexity = loss.IsNegativeLogLikelihood ? Math.Exp(mean) : null,
            MeanSquaredError = regression ? squared / values : null,
            MeanAbsoluteError = regression ? absolute / values : null,
        };
    }

    /// <summary>
    /// Describes the network like Keras's <c>model.summary()</c>: one row per layer with its activation, weight matrix
    /// shape, output shape (m = samples) and parameter count, then the total.
    /// </summary>
    /// <returns>A table, one line per layer.</returns>
    public string Summary()
    {
        var text = new StringBuilder();
        int weighted = Flattened(_layers, 0).Count(l => l.Layer.Children.Count == 0 && l.Layer.Parameters.Any(p => p.IsWeight));
        text.AppendLine(CultureInfo.InvariantCulture, $"{this}: {weighted + 1} layers of neurons, {weighted} weight matrices");
        // A block's layers follow it, indented, with their own counts (the block's count is theirs together).
        var rows = Flattened(_layers, 0).Select(entry => (
            Name: new string(' ', 2 * entry.Depth) + entry.Layer.Name,
            entry.Layer.Summary.Detail,
            entry.Layer.Summary.Weights,
            Output: $"m×{entry.Layer.OutputShape}",
            Count: entry.Layer.Parameters.Sum(p => (long)p.Count).ToString("N0", CultureInfo.InvariantCulture))).ToList();

        // Columns as wide as their longest entry (at least the headings' usual widths), so a long name stays aligned.
        int name = Math.Max(20, rows.Max(r => r.Name.Length)), detail = Math.Max(10, rows.Max(r => r.Detail.Length));
        int weights = Math.Max(11, rows.Max(r => r.Weights.Length)), output = Math.Max(10, rows.Max(r => r.Output.Length));
        text.AppendLine($"{"Layer".PadRight(name)} {"Activation".PadRight(detail)} {"Weights".PadRight(weights)} {"Output".PadRight(output)} {"Parameters",12}");
        foreach (var row in rows)
        {
            text.AppendLine($"{row.Name.PadRight(name)} {row.Detail.PadRight(detail)} {row.Weights.PadRight(weights)} {row.Output.PadRight(output)} {row.Count,12}");
        }

        text.Append(CultureInfo.InvariantCulture, $"Total parameters: {ParameterCount:N0}");
        return text.ToString();
    }

    /// <summary>Every layer with its depth: a block, then its layers one level deeper.</summary>
    private static IEnumerable<(ILayer<T> Layer, int Depth)> Flattened(IEnumerable<ILayer<T>> layers, int depth)
        => layers.SelectMany(layer => new[] { (layer, depth) }.Concat(Flattened(layer.Children, depth + 1)));

    /// <summary>Returns a one-line description with each layer's output shape, for example <c>Network&lt;Double&gt; 784→30→10</c>.</summary>
    /// <returns>The network as text.</returns>
    public override string ToString()
        => $"Network<{typeof(T).Name}> {InputShape}→{string.Join("→", _layers.Select(l => l.OutputShape))}";

    /// <summary>Backward propagation of ∂L/∂(outputs) through every layer, last first. The loop never asks which activation or loss it has.</summary>
    private void Propagate(Tensor<T> gradient)
    {
        Tensor<T>? g = _layers[^1].Backward(gradient, _layers.Length > 1);
        for (int i = _layers.Length - 2; i >= 0; i--)
        {
            g = _layers[i].Backward(g!, i > 0);
        }
    }

    /// <summary>The buffer of ∂L/∂(outputs) for a batch of <paramref name="rows"/>, reused.</summary>
    private Tensor<T> OutputGradient(int rows)
    {
        if (!_outputGradients.TryGetValue(rows, out Tensor<T>? gradient))
        {
            if (_outputGradients.Count >= 4)
            {
                _outputGradients.Clear();
            }

            gradient = new Tensor<T>(rows, OutputSize);
            _outputGradients[rows] = gradient;
        }

        return gradient;
    }

    /// <summary>Forward propagation of rows [start, start + EvaluationBatchSize) of the inputs, through reused buffers.</summary>
    private Tensor<T> ForwardRows(Tensor<T> inputs, int start, int end = -1) => Forward(Rows(inputs, start, _evaluationInputs, end));

    /// <summary>
    /// Rows [start, min(start + EvaluationBatchSize, end)) of a tensor (end: all rows when negative): the tensor itself when
    /// that is all of it, else a copy into a reused buffer.
    /// </summary>
    private static Tensor<T> Rows(Tensor<T> source, int start, Dictionary<(int, int), Tensor<T>> buffers, int end = -1)
    {
        end = end < 0 ? source.Rows : end;
        if (start == 0 && end == source.Rows && source.Rows <= EvaluationBatchSize)
        {
            return source;
        }

        int count = Math.Min(EvaluationBatchSize, end - start);
        if (!buffers.TryGetValue((count, source.Columns), out Tensor<T>? buffer))
        {
            buffer = new Tensor<T>(count, source.Columns);
            buffers[(count, source.Columns)] = buffer;
        }

        source.CopyRowsTo(start, buffer);
        return buffer;
    }

    /// <summary>What the outputs stand for under <paramref name="loss"/> (probabilities after its head), in a reused buffer.</summary>
    private Tensor<T> Predictions(Tensor<T> outputs, ILoss loss)
    {
        if (!_evaluationPredictions.TryGetValue((outputs.Rows, outputs.Columns), out Tensor<T>? buffer))
        {
            buffer = new Tensor<T>(outputs.Rows, outputs.Columns);
            _evaluationPredictions[(outputs.Rows, outputs.Columns)] = buffer;
        }

        loss.Predictions(outputs, buffer);
        return buffer;
    }

    private static void CopyRowsFrom(Tensor<T> source, Tensor<T> destination, int start)
    {
        for (int j = 0; j < source.Columns; j++)
        {
            source.ColumnSpan(j).CopyTo(destination.Data.AsSpan((j * destination.Rows) + start, source.Rows));
        }
    }

    private void CheckInputs(Tensor<T> inputs, string parameterName, string operation)
    {
        Preconditions.CheckNotNull(inputs, parameterName);
        if (inputs.Columns != InputSize)
        {
            string cause = inputs.Rows == InputSize ? " Were the samples passed as columns? Samples are rows; transpose the input." : string.Empty;
            throw new ArgumentException(
                $"{this}.{operation}: {parameterName} has {inputs.Columns} columns, expected {InputSize} (one per input neuron). Shape {inputs.Shape}.{cause}",
                parameterName);
        }
    }

    private void CheckData(Tensor<T> inputs, Tensor<T> targets, ILoss loss, string operation)
    {
        CheckInputs(inputs, nameof(inputs), operation);
        Preconditions.CheckNotNull(targets, nameof(targets));
        if (inputs.Rows == 0)
        {
            throw new ArgumentException($"{this}.{operation}: inputs have no rows; there must be at least one sample.", nameof(inputs));
        }

        CheckTargets(inputs.Rows, targets, loss, operation);
        if (loss.TakesClassIndices && OutputShape.Features == 1)
        {
            throw new ArgumentException($"{this}.{operation}: {loss.Spec} over one output is always 0 (the softmax of one value is 1), so nothing can be learned; give the network an output per class, or use binary_cross_entropy with one sigmoid output for two classes.", nameof(loss));
        }

        bool indices = loss.TakesClassIndices && targets.Columns != OutputSize;
        if (loss.IsNegativeLogLikelihood && !indices)
        {
            // Probabilities: a one-hot row, or soft labels. A value outside [0, 1] is a mistake that would only show as a huge loss.
            ReadOnlySpan<T> values = targets.AsSpan();
            for (int k = 0; k < values.Length; k++)
            {
                if (!(values[k] >= T.Zero && values[k] <= T.One))
                {
                    int row = k % targets.Rows, column = k / targets.Rows; // stored column by column
                    throw new ArgumentException($"{this}.{operation}: target row {row}, column {column} is {Preconditions.Format(values[k])}; {loss.Spec}'s targets are probabilities from 0 to 1 (one-hot rows).", nameof(targets));
                }
            }
        }
    }

    /// <summary>
    /// Targets fit m samples: m rows of one value per output, or — for a loss that takes class indices — one index per
    /// sample (one per position of a sequence).
    /// </summary>
    private void CheckTargets(int samples, Tensor<T> targets, ILoss loss, string operation)
    {
        Preconditions.CheckNotNull(targets, nameof(targets));
        bool indices = loss.TakesClassIndices && targets.Columns == OutputShape.Positions && OutputShape.Features > 1;
        if (targets.Rows != samples || (targets.Columns != OutputSize && !indices))
        {
            string expected = loss.TakesClassIndices && OutputShape.Features > 1
                ? $"{samples}×{OutputSize} (one value per output neuron: one-hot rows) or {samples}×{OutputShape.Positions} (one class index {(OutputShape.IsSequence ? "per position" : "per sample")})"
                : $"{samples}×{OutputSize}";
            string cause = targets.Rows != samples
                ? $" There must be one target row per input row (sample): {targets.Rows} target rows for {samples} samples."
                : loss.TakesClassIndices ? string.Empty : $" Each target row needs one value per output neuron ({OutputSize}); class labels must be one-hot encoded (Tensor.OneHot).";
            throw new ArgumentException($"{this}.{operation}: targets have shape {targets.Shape}, expected {expected}.{cause}", nameof(targets));
        }
    }

    /// <summary>
    /// A batch of outputs, gradients or targets as the loss sees it: for a sequence T×V, the (m·T)×V matrix of every position
    /// (or, for class indices, the (m·T)×1 column); any other batch as it is. The same storage, no copy.
    /// </summary>
    private Tensor<T> ByPosition(Tensor<T> batch)
    {
        if (!OutputShape.IsSequence)
        {
            return batch;
        }

        int columns = batch.Columns == OutputSize ? OutputShape.Features : 1; // outputs, gradients, one-hot rows — or class indices
        return _views.Get(batch, checked(batch.Rows * OutputShape.Positions), columns);
    }

    /// <summary>The predictions a loss scores in a batch: its rows, but for class indices only those with a target (not −1).</summary>
    private static int Scored(Tensor<T> outputs, Tensor<T> targets, ILoss loss)
    {
        if (!(loss.TakesClassIndices && targets.Columns == 1 && outputs.Columns > 1))
        {
            return outputs.Rows;
        }

        int count = 0;
        foreach (T id in targets.AsSpan())
        {
            count += id >= T.Zero ? 1 : 0;
        }

        return count;
    }
}
