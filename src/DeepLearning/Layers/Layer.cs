using System.Globalization;
using System.Numerics;
using DeepLearning.Initialization;
using DeepLearning.Serialization;

namespace DeepLearning.Layers;

/// <summary>
/// The base of a layer: everything of the <see cref="ILayer{T}"/> protocol that is not the layer's own mathematics.
/// A layer derived from it holds only its formula (<see cref="ForwardCore"/>, <see cref="BackwardCore"/>), its parameters
/// (<see cref="AddParameter"/>) and its settings; the base checks every call, keeps the input for the backward pass, hands
/// out buffers that are reused from batch to batch, and reads the layer's kind from the registry.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// <para>
/// <b>What the base checks</b>, with messages that name the layer: the input of <see cref="Forward"/> has n_in columns
/// (and, when it has n_in rows instead, that samples may have been passed as columns); <see cref="Backward"/> comes after a
/// forward pass and gets a gradient shaped like the last output.
/// </para>
/// <para>
/// <b>Buffers.</b> <see cref="Buffer"/> returns a tensor for a slot and a batch size, kept for the last four batch sizes
/// seen per slot (a training epoch alternates between the mini-batch size and a smaller last batch), so that after the
/// first batch a training step allocates nothing.
/// </para>
/// <para>Not thread-safe, like every layer.</para>
/// </remarks>
/// <example>
/// A layer that multiplies each input by its own weight, <c>A = X ⊙ w</c> (one row of weights broadcast over the samples):
/// <code>
/// public sealed class Scale&lt;T&gt; : Layer&lt;T&gt;, ILayerKind&lt;Scale&lt;T&gt;, T&gt; where T : struct, IFloatingPointIeee754&lt;T&gt;
/// {
///     private readonly Parameter&lt;T&gt; _w;
///     public Scale(FeatureShape input, Random random) : base(input, input)
///         =&gt; _w = AddParameter("weight", 1, InputSize, new Gaussian(1, 0.1), random, InputSize, InputSize);
///     public static LayerPlan Plan(Arguments settings, FeatureShape input) =&gt; new(input, input.Size, 2 * input.Size);
///     public static Scale&lt;T&gt; Create(Arguments settings, FeatureShape input, Random random) =&gt; new(input, random);
///     protected override Arguments Settings =&gt; Arguments.Empty;
///     protected override Tensor&lt;T&gt; ForwardCore(Tensor&lt;T&gt; x, bool training) { … }
///     protected override Tensor&lt;T&gt;? BackwardCore(Tensor&lt;T&gt; x, Tensor&lt;T&gt; g, bool inputGradient) { … }
/// }
/// </code>
/// </example>
public abstract class Layer<T> : ILayer<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int Slots = 16;
    private const int BuffersPerSlot = 4;
    private readonly List<Parameter<T>> _parameters = [];
    private readonly List<Parameter<T>> _state = [];
    private readonly List<ILayer<T>> _children = [];
    private readonly (int Rows, int Columns, Tensor<T>? Tensor)[] _buffers = new (int, int, Tensor<T>?)[Slots * BuffersPerSlot];
    private readonly int[] _nextEviction = new int[Slots];
    private readonly Tensor<T>?[] _views = new Tensor<T>?[Slots * BuffersPerSlot];
    private readonly int[] _nextViewEviction = new int[Slots];
    private Tensor<T>? _input;

    /// <summary>Starts a layer that maps samples of shape <paramref name="input"/> to samples of shape <paramref name="output"/>.</summary>
    /// <param name="input">The shape of one input sample.</param>
    /// <param name="output">The shape of one output sample.</param>
    /// <exception cref="ArgumentOutOfRangeException">A shape is empty (the default) or has more values than a row can hold (<see cref="Array.MaxLength"/>).</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    protected Layer(FeatureShape input, FeatureShape output)
    {
        Preconditions.CheckElementType<T>();
        InputShape = CheckShape(input, nameof(input));
        OutputShape = CheckShape(output, nameof(output));
        Parameters = _parameters.AsReadOnly();
        State = _state.AsReadOnly();
        Children = _children.AsReadOnly();
    }

    /// <inheritdoc/>
    /// <remarks>By default the kind (else the class name) and the shapes, for example <c>scale(784→784)</c>.</remarks>
    public virtual string Name => string.Create(CultureInfo.InvariantCulture, $"{Registries.Layers.KindOf(GetType()) ?? GetType().Name.Split('`')[0]}({InputShape}→{OutputShape})");

    /// <inheritdoc/>
    /// <remarks>The name this class is registered under in <see cref="Registries.Layers"/>.</remarks>
    /// <exception cref="InvalidOperationException">The class is not registered.</exception>
    public virtual string Kind => Registries.Layers.KindOf(GetType())
        ?? throw new InvalidOperationException($"{GetType().Name} is not a registered kind of layer: add Registries.Layers.Register<{GetType().Name.Split('`')[0]}<float>, {GetType().Name.Split('`')[0]}<double>>(\"name\", \"parameters\", \"description\").");

    /// <inheritdoc/>
    /// <remarks><c>input=SHAPE</c>, then the layer's own <see cref="Settings"/>.</remarks>
    public Arguments Configuration => Settings.With("input", InputShape.ToString());

    /// <inheritdoc/>
    public FeatureShape InputShape { get; }

    /// <inheritdoc/>
    public FeatureShape OutputShape { get; }

    /// <inheritdoc/>
    public int InputSize => (int)InputShape.Size;

    /// <inheritdoc/>
    public int OutputSize => (int)OutputShape.Size;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> State { get; }

    /// <inheritdoc/>
    public IReadOnlyList<ILayer<T>> Children { get; }

    /// <inheritdoc/>
    public Tensor<T>? Output { get; private set; }

    /// <inheritdoc/>
    /// <remarks>By default no detail, and the shape of the first weight parameter (or <c>—</c>).</remarks>
    public virtual LayerSummary Summary => new(string.Empty, _parameters.FirstOrDefault(p => p.IsWeight)?.Shape.ToString() ?? "—");

    /// <summary>The values of the parameters this kind's registry entry declares, as the registry would pass them to <c>Create</c> (the input shape is added by <see cref="Configuration"/>).</summary>
    protected abstract Arguments Settings { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The input does not have n_in columns, or the batch is too large for the layer's buffers.</exception>
    public Tensor<T> Forward(Tensor<T> input, bool training = false)
    {
        Preconditions.CheckNotNull(input, nameof(input));
        if (input.Columns != InputSize)
        {
            string expected = InputShape.IsFlat ? "one per input neuron" : $"the {InputShape} values of one sample, channel by channel";
            string cause = input.Rows == InputSize && input.Columns != InputSize
                ? $" It has {InputSize} rows: were the samples passed as columns? Samples are rows; transpose the input."
                : string.Empty;
            throw new ArgumentException(
                $"{Name}.Forward: input has {input.Columns} columns, expected {InputSize} ({expected}). Input shape {input.Shape}.{cause}",
                nameof(input));
        }

        _input = input;
        try
        {
            Output = ForwardCore(input, training);
        }
        catch (OverflowException e)
        {
            throw TooManyRows(input.Rows, e);
        }

        return Output;
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">No forward pass has been made.</exception>
    /// <exception cref="ArgumentException">The gradient's shape is not that of the last output, or the batch is too large for the layer's buffers.</exception>
    public Tensor<T>? Backward(Tensor<T> outputGradient, bool computeInputGradient = true)
    {
        Preconditions.CheckNotNull(outputGradient, nameof(outputGradient));
        Tensor<T> output = Output ?? throw new InvalidOperationException(
            $"{Name}.Backward: no forward pass yet; call Forward first, Backward uses its input and outputs.");
        if (outputGradient.Shape != output.Shape)
        {
            throw new ArgumentException(
                $"{Name}.Backward: ∂L/∂A has shape {outputGradient.Shape}, expected {output.Shape} (the shape of the last output: samples × {OutputSize} outputs).",
                nameof(outputGradient));
        }

        try
        {
            return BackwardCore(_input!, outputGradient, computeInputGradient);
        }
        catch (OverflowException e)
        {
            throw TooManyRows(outputGradient.Rows, e);
        }
    }

    /// <summary>A batch whose buffers' sizes overflow the layer's checked arithmetic: the caller passed too many rows at once.</summary>
    private ArgumentException TooManyRows(int rows, OverflowException inner)
        => new(string.Create(CultureInfo.InvariantCulture, $"{Name}: a batch of {rows:N0} samples needs buffers larger than an array can hold; pass fewer rows at a time."), inner);

    /// <inheritdoc/>
    /// <remarks>By default: not supported.</remarks>
    public virtual void ExportOnnx(OnnxGraph graph) => throw new NotSupportedException($"{Name}: this layer has no ONNX form.");

    /// <inheritdoc/>
    /// <remarks>By default: not supported.</remarks>
    public virtual void ExportTorch(TorchSequential<T> sequence) => throw new NotSupportedException($"{Name}: this layer has no PyTorch form.");

    /// <summary>Returns the name, for example <c>Dense(2→3)</c>.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;

    /// <summary>The layer's formula going forward, on an input already checked: A for X.</summary>
    /// <param name="input">X, m×n_in; the same tensor <see cref="BackwardCore"/> receives.</param>
    /// <param name="training">Whether this pass is for training.</param>
    /// <returns>A, m×n_out: a <see cref="Buffer"/> of the layer's (or, for a layer that changes nothing, the input itself).</returns>
    protected abstract Tensor<T> ForwardCore(Tensor<T> input, bool training);

    /// <summary>The layer's formula going backward, after a forward pass: the parameter gradients and, when asked, ∂L/∂X.</summary>
    /// <param name="input">X of the last forward pass.</param>
    /// <param name="outputGradient">∂L/∂A, shaped like the last output (checked).</param>
    /// <param name="computeInputGradient">Whether to compute ∂L/∂X.</param>
    /// <returns>∂L/∂X (m×n_in), or null when not asked.</returns>
    protected abstract Tensor<T>? BackwardCore(Tensor<T> input, Tensor<T> outputGradient, bool computeInputGradient);

    /// <summary>
    /// Adds a trainable parameter of rows×columns values, initialized from <paramref name="random"/>: W, b, a filter bank.
    /// Its name is the layer's followed by <c>.Weights</c> or <c>.Bias</c> (from <paramref name="key"/>).
    /// </summary>
    /// <param name="key">PyTorch's name for it: <c>weight</c> or <c>bias</c>.</param>
    /// <param name="rows">Rows: the side the connections come from.</param>
    /// <param name="columns">Columns: the side they go to.</param>
    /// <param name="initializer">How its values start.</param>
    /// <param name="random">The seeded source of those values.</param>
    /// <param name="fanIn">The number of inputs of each output, for the initializer.</param>
    /// <param name="fanOut">The number of outputs each input reaches, for the initializer.</param>
    /// <param name="isWeight">Whether L2 regularization shrinks it: true for weights, false for biases. Default: whether <paramref name="key"/> is not <c>bias</c>.</param>
    /// <param name="exportShape">Its PyTorch shape, when not the transpose [columns, rows] (see <see cref="Parameter{T}.ExportShape"/>).</param>
    /// <param name="exportRowByRow">Whether PyTorch stores it the same way round, [rows, columns] (an embedding's table; see <see cref="Parameter{T}.ExportRowByRow"/>).</param>
    /// <returns>The parameter, also added to <see cref="Parameters"/>.</returns>
    protected Parameter<T> AddParameter(string key, int rows, int columns, IInitializer initializer, Random random, int fanIn, int fanOut, bool? isWeight = null, IReadOnlyList<long>? exportShape = null, bool exportRowByRow = false)
    {
        Preconditions.CheckNotNull(key, nameof(key));
        Preconditions.CheckNotNull(initializer, nameof(initializer));
        Preconditions.CheckNotNull(random, nameof(random));
        string title = key == "bias" ? "Bias" : key == "weight" ? "Weights" : char.ToUpperInvariant(key[0]) + key[1..];
        var parameter = exportShape is null
            ? new Parameter<T>($"{Name}.{title}", rows, columns) { Key = key, IsWeight = isWeight ?? key != "bias", ExportRowByRow = exportRowByRow }
            : new Parameter<T>($"{Name}.{title}", rows, columns) { Key = key, IsWeight = isWeight ?? key != "bias", ExportRowByRow = exportRowByRow, ExportShape = exportShape };
        initializer.Initialize(parameter.Values, fanIn, fanOut, random);
        _parameters.Add(parameter);
        return parameter;
    }

    /// <summary>
    /// Adds a value the layer keeps without training it (see <see cref="ILayer{T}.State"/>): a running mean, a count.
    /// Its name is the layer's followed by the key, for example <c>BatchNorm(20×24×24).running_mean</c>.
    /// </summary>
    /// <param name="key">PyTorch's name for it: <c>running_mean</c>, <c>running_var</c>, <c>num_batches_tracked</c>.</param>
    /// <param name="rows">Rows, usually 1.</param>
    /// <param name="columns">Columns: one per channel or feature.</param>
    /// <param name="initialValue">The value every entry starts at (0 for a mean, 1 for a variance).</param>
    /// <param name="isInteger">Whether it is a count (whole numbers, exported as 64-bit integers).</param>
    /// <param name="exportShape">Its PyTorch shape, when not [columns] (a single count is a scalar: <c>[]</c>).</param>
    /// <returns>The state tensor, also added to <see cref="State"/>.</returns>
    protected Parameter<T> AddState(string key, int rows, int columns, T initialValue, bool isInteger = false, IReadOnlyList<long>? exportShape = null)
    {
        Preconditions.CheckNotNull(key, nameof(key));
        var state = exportShape is null
            ? new Parameter<T>($"{Name}.{key}", rows, columns) { Key = key, IsInteger = isInteger }
            : new Parameter<T>($"{Name}.{key}", rows, columns) { Key = key, IsInteger = isInteger, ExportShape = exportShape };
        state.Values.Fill(initialValue);
        _state.Add(state);
        return state;
    }

    /// <summary>
    /// Adds a layer this one holds (a block's): its parameters and state join this layer's, after those added so far, so
    /// that the model file and the optimizers see them in order.
    /// </summary>
    /// <param name="child">The inner layer.</param>
    /// <returns>The layer.</returns>
    protected ILayer<T> AddChild(ILayer<T> child)
    {
        Preconditions.CheckNotNull(child, nameof(child));
        _children.Add(child);
        _parameters.AddRange(child.Parameters);
        _state.AddRange(child.State);
        return child;
    }

    /// <summary>
    /// A tensor of <paramref name="rows"/>×<paramref name="columns"/> owned by the layer, the same one every time this slot
    /// is asked for with these sizes (kept for the last four batch sizes of the slot): outputs, weighted inputs, ∂L/∂X.
    /// </summary>
    /// <param name="slot">Which buffer, from 0 to 15: each use of the layer has its own.</param>
    /// <param name="rows">The rows, usually the batch size m.</param>
    /// <param name="columns">The columns.</param>
    /// <returns>The buffer; its contents are whatever was last written to it.</returns>
    protected Tensor<T> Buffer(int slot, int rows, int columns)
    {
        if ((uint)slot >= Slots)
        {
            throw new ArgumentOutOfRangeException(nameof(slot), slot, $"slot must be from 0 to {Slots - 1}.");
        }

        Span<(int Rows, int Columns, Tensor<T>? Tensor)> kept = _buffers.AsSpan(slot * BuffersPerSlot, BuffersPerSlot);
        foreach ((int r, int c, Tensor<T>? tensor) in kept)
        {
            if (tensor is not null && r == rows && c == columns)
            {
                return tensor;
            }
        }

        // A new size: an empty place, else the slot's oldest buffer, is replaced.
        var created = new Tensor<T>(rows, columns);
        int place = kept.IndexOf(default((int, int, Tensor<T>?)));
        kept[place >= 0 ? place : _nextEviction[slot]++ % BuffersPerSlot] = (rows, columns, created);
        return created;
    }

    /// <summary>
    /// The same values as <paramref name="source"/> seen as <paramref name="rows"/>×<paramref name="columns"/> (storage
    /// column by column, unchanged), kept per slot so that a training step allocates nothing: a convolution's Z,
    /// (m·H′·W′)×F, is its output m×(F·H′·W′) without a copy.
    /// </summary>
    /// <param name="slot">The view's slot, 0 to 15 (its own numbering, apart from <see cref="Buffer"/>'s).</param>
    /// <param name="source">The tensor whose storage is viewed; rows·columns must equal its size.</param>
    /// <param name="rows">The view's rows.</param>
    /// <param name="columns">The view's columns.</param>
    /// <returns>A tensor sharing <paramref name="source"/>'s storage.</returns>
    /// <exception cref="ArgumentException">The sizes differ.</exception>
    protected Tensor<T> View(int slot, Tensor<T> source, int rows, int columns)
    {
        Preconditions.CheckNotNull(source, nameof(source));
        if ((uint)slot >= Slots)
        {
            throw new ArgumentOutOfRangeException(nameof(slot), slot, $"slot must be from 0 to {Slots - 1}.");
        }

        Span<Tensor<T>?> kept = _views.AsSpan(slot * BuffersPerSlot, BuffersPerSlot);
        foreach (Tensor<T>? view in kept)
        {
            if (view is not null && view.Rows == rows && view.Columns == columns && view.SharesStorageWith(source))
            {
                return view;
            }
        }

        Tensor<T> created = source.Reshape(rows, columns);
        int place = kept.IndexOf((Tensor<T>?)null);
        kept[place >= 0 ? place : _nextViewEviction[slot]++ % BuffersPerSlot] = created;
        return created;
    }

    /// <summary>
    /// A batch of samples of <paramref name="shape"/> seen position by position: for a sequence T×D, the m×(D·T) batch as
    /// the (m·T)×D matrix of every position of every sample (row t·m + i is position t of sample i) — the same storage,
    /// no copy (see <see cref="FeatureShape"/>); any other batch as it is. A layer that acts at every position (a dense
    /// layer, a layer normalization) computes on this view, and returns its result through it.
    /// </summary>
    /// <param name="slot">The view's slot, 0 to 15 (<see cref="View"/>'s numbering).</param>
    /// <param name="batch">The batch, m×<paramref name="shape"/>.Size.</param>
    /// <param name="shape">The shape of one sample.</param>
    /// <returns>The view, or <paramref name="batch"/> itself for a shape that is not a sequence.</returns>
    protected Tensor<T> ByPosition(int slot, Tensor<T> batch, FeatureShape shape)
    {
        Preconditions.CheckNotNull(batch, nameof(batch));
        if (!shape.IsSequence)
        {
            return batch;
        }

        return ViewOrCopy(slot, batch, checked(batch.Rows * shape.Positions), shape.Features);
    }

    /// <summary>The reverse of <see cref="ByPosition"/>: the (m·T)×D matrix of positions seen as the m×(D·T) batch of samples.</summary>
    /// <param name="slot">The view's slot, 0 to 15.</param>
    /// <param name="positions">The (m·T)×D matrix.</param>
    /// <param name="shape">The shape of one sample, T×D.</param>
    /// <returns>The batch over the same storage, or <paramref name="positions"/> itself for a shape that is not a sequence.</returns>
    protected Tensor<T> BySample(int slot, Tensor<T> positions, FeatureShape shape)
    {
        Preconditions.CheckNotNull(positions, nameof(positions));
        return shape.IsSequence ? ViewOrCopy(slot, positions, positions.Rows / shape.Positions, checked(shape.Features * shape.Positions)) : positions;
    }

    /// <summary><see cref="View"/>, or a view of a copy when the tensor's storage is larger than its values (a slice).</summary>
    private Tensor<T> ViewOrCopy(int slot, Tensor<T> source, int rows, int columns)
    {
        try
        {
            return View(slot, source, rows, columns);
        }
        catch (NotSupportedException)
        {
            return View(slot, source.Clone(), rows, columns);
        }
    }

    /// <summary>Formats a whole number for <see cref="Settings"/>, invariantly.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The text.</returns>
    protected static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Formats a number for <see cref="Settings"/> so that it reads back exactly.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The text.</returns>
    protected static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Formats a flag for <see cref="Settings"/>: <c>true</c> or <c>false</c>.</summary>
    /// <param name="value">The flag.</param>
    /// <returns>The text.</returns>
    protected static string Text(bool value) => value ? "true" : "false";

    private static FeatureShape CheckShape(FeatureShape shape, string parameterName)
    {
        if (shape.Channels < 1)
        {
            throw new ArgumentOutOfRangeException(parameterName, shape, $"{parameterName} is an empty shape; every size must be at least 1.");
        }

        if (shape.Size > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(parameterName, shape, string.Create(CultureInfo.InvariantCulture, $"{parameterName} {shape} has {shape.Size:N0} values per sample, more than the {Array.MaxLength:N0} a row can hold."));
        }

        return shape;
    }
}
