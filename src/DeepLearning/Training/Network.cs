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
        Layers = _layers.AsReadOnly();
    }

    /// <summary>The layers, from input side to output side.</summary>
    public IReadOnlyList<ILayer<T>> Layers { get; }

    /// <summary>Every trainable parameter of every layer, in layer order.</summary>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

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

    /// <summary>The number of trainable values (weights and biases).</summary>
    public long ParameterCount => _parameters.Sum(p => (long)p.Count);

    /// <summary>Forward propagation through every layer: h1 = σ(x·W1 + b1), h2 = σ(h1·W2 + b2), …</summary>
    /// <param name="inputs">The batch X, m×<see cref="InputSize"/>.</param>
    /// <returns>The last layer's output, m×<see cref="OutputSize"/>, owned by that layer (use <see cref="Predict(Tensor{T})"/> for a copy).</returns>
    /// <exception cref="ArgumentException">The input does not have <see cref="InputSize"/> columns.</exception>
    public Tensor<T> Forward(Tensor<T> inputs) => Forward(inputs, training: false);

    /// <summary>Forward propagation in training mode (dropout active) or inference mode.</summary>
    internal Tensor<T> Forward(Tensor<T> inputs, bool training)
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
        Losses.Loss.CheckShapes(loss, "Gradient", a, targets);
        Tensor<T> gradient = OutputGradient(a.Rows);
        loss.Gradient(a, targets, gradient);
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

    /// <summary><see cref="ComputeGradients(Tensor{T}, Tensor{T}, ILoss)"/> in training mode or, for the gradient check, inference mode.</summary>
    internal T ComputeGradients(Tensor<T> inputs, Tensor<T> targets, ILoss loss, bool training)
    {
        Preconditions.CheckNotNull(loss, nameof(loss));
        Tensor<T> a = Forward(inputs, training);
        Tensor<T> gradient = OutputGradient(a.Rows);
        T value = loss.ValueAndGradient(a, targets, gradient); // the loss and ∂L/∂(outputs) in one pass
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
        loss.Predictions(outputs, outputs);
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
        Loss?.Predictions(outputs, outputs);
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
    public int[] PredictClasses(Tensor<T> inputs)
    {
        CheckInputs(inputs, nameof(inputs), nameof(PredictClasses));
        var classes = new int[inputs.Rows];
        for (int start = 0; start < inputs.Rows; start += EvaluationBatchSize)
        {
            Tensor<T> output = ForwardRows(inputs, start);
            output.ArgMaxPerRow(classes.AsSpan(start, output.Rows));
        }

        return classes;
    }

    /// <summary>Measures the loss and the accuracy on a <see cref="DataSet{T}"/>, in batches so that memory stays bounded.</summary>
    /// <param name="data">The samples and their targets.</param>
    /// <param name="loss">The loss to measure.</param>
    /// <returns>The loss averaged over the samples and the fraction classified correctly.</returns>
    /// <exception cref="ArgumentException">A shape does not match the network.</exception>
    public Evaluation Evaluate(DataSet<T> data, ILoss loss)
    {
        Preconditions.CheckNotNull(data, nameof(data));
        return Evaluate(data.Inputs, data.Targets, loss);
    }

    /// <summary>Measures the loss and the accuracy on a data set, in batches so that memory stays bounded.</summary>
    /// <param name="inputs">X, m×<see cref="InputSize"/>.</param>
    /// <param name="targets">Y, m×<see cref="OutputSize"/>.</param>
    /// <param name="loss">The loss to measure.</param>
    /// <returns>The loss averaged over the samples and the fraction classified correctly.</returns>
    /// <exception cref="ArgumentException">A shape does not match the network.</exception>
    public Evaluation Evaluate(Tensor<T> inputs, Tensor<T> targets, ILoss loss)
    {
        Preconditions.CheckNotNull(loss, nameof(loss));
        CheckData(inputs, targets, nameof(Evaluate));
        double lossSum = 0;
        int correct = 0;
        for (int start = 0; start < inputs.Rows; start += EvaluationBatchSize)
        {
            Tensor<T> output = ForwardRows(inputs, start);
            Tensor<T> batchTargets = Rows(targets, start, _evaluationTargets);
            lossSum += double.CreateChecked(loss.Value(output, batchTargets)) * output.Rows;
            correct += Accuracy.CountCorrect(Predictions(output, loss), batchTargets);
        }
        return new Evaluation(lossSum / inputs.Rows, (double)correct / inputs.Rows, inputs.Rows);
    }

    /// <summary>
    /// Describes the network like Keras's <c>model.summary()</c>: one row per layer with its activation, weight matrix
    /// shape, output shape (m = samples) and parameter count, then the total.
    /// </summary>
    /// <returns>A table, one line per layer.</returns>
    public string Summary()
    {
        var text = new StringBuilder();
        int weighted = _layers.Count(l => l.Parameters.Any(p => p.IsWeight));
        text.AppendLine(CultureInfo.InvariantCulture, $"{this}: {weighted + 1} layers of neurons, {weighted} weight matrices");
        var rows = _layers.Select(layer => (
            Name: layer.Name,
            layer.Summary.Detail,
            layer.Summary.Weights,
            Output: $"m×{layer.OutputShape}",
            Count: layer.Parameters.Sum(p => (long)p.Count).ToString("N0", CultureInfo.InvariantCulture))).ToList();

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

    private void CheckData(Tensor<T> inputs, Tensor<T> targets, string operation)
    {
        CheckInputs(inputs, nameof(inputs), operation);
        Preconditions.CheckNotNull(targets, nameof(targets));
        if (inputs.Rows == 0)
        {
            throw new ArgumentException($"{this}.{operation}: inputs have no rows; there must be at least one sample.", nameof(inputs));
        }

        if (targets.Rows != inputs.Rows || targets.Columns != OutputSize)
        {
            string cause = targets.Rows != inputs.Rows
                ? $" There must be one target row per input row (sample): {targets.Rows} target rows for {inputs.Rows} samples."
                : $" Each target row needs one value per output neuron ({OutputSize}); class labels must be one-hot encoded (Tensor.OneHot).";
            throw new ArgumentException(
                $"{this}.{operation}: targets have shape {targets.Shape}, expected {inputs.Rows}×{OutputSize}.{cause}",
                nameof(targets));
        }
    }
}
