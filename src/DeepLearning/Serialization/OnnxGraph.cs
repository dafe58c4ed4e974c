using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace DeepLearning.Serialization;

/// <summary>
/// The ONNX graph being written by <see cref="OnnxExport"/>: each layer, activation and loss appends its own nodes and
/// initializers (<see cref="Layers.ILayer{T}.ExportOnnx"/>, <see cref="Activations.IActivation.ExportOnnx"/>,
/// <see cref="Losses.ILoss.ExportOnnxHead"/>), reading the name of the tensor produced so far from <see cref="Current"/>
/// and setting it to the name of its own output.
/// </summary>
/// <remarks>
/// Tensors between layers are [batch, n] rows, as in the library, or — where a layer wants them so — images
/// [batch, C, H, W] or sequences [batch, T, D] (PyTorch's layouts); a layer asks for the form it needs
/// (<see cref="ToRows"/>, <see cref="ToImage"/>, <see cref="ToSequence"/>) and the graph adds the reshape.
/// </remarks>
public sealed class OnnxGraph
{
    private readonly GraphProto _graph;
    private readonly TensorProto.Types.DataType _type;
    private readonly string _inputName;
    private int _counter;
    private Form _form;

    internal OnnxGraph(GraphProto graph, TensorProto.Types.DataType type, string input)
    {
        _graph = graph;
        _type = type;
        _inputName = input;
        Current = input;
    }

    private enum Form
    {
        Rows,
        Image,
        Sequence,
    }

    /// <summary>The name of the tensor the nodes so far produce (the graph's input before the first layer).</summary>
    public string Current { get; set; }

    /// <summary>Whether the graph computes in double (ONNX <c>DOUBLE</c>) rather than float: ONNX Runtime implements a few operators (LeakyRelu, Softplus) for float only.</summary>
    public bool IsDouble => _type == TensorProto.Types.DataType.Double;

    /// <summary>A fresh tensor name with the given prefix, for example <c>dense1_z_3</c>.</summary>
    /// <param name="prefix">A readable prefix.</param>
    /// <returns>A name no other tensor has.</returns>
    public string NewName(string prefix) => string.Create(CultureInfo.InvariantCulture, $"{prefix}_{++_counter}");

    /// <summary>Adds a constant tensor (an initializer) in the graph's element type, values row by row.</summary>
    /// <typeparam name="T">float or double: the graph's element type.</typeparam>
    /// <param name="prefix">A readable prefix for its name.</param>
    /// <param name="dimensions">Its shape.</param>
    /// <param name="values">Its values, row by row (the last dimension fastest).</param>
    /// <returns>Its name.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not the graph's element type, or the values do not fill the shape.</exception>
    public string AddInitializer<T>(string prefix, IReadOnlyList<long> dimensions, ReadOnlySpan<T> values)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        if ((typeof(T) == typeof(double)) != IsDouble || (typeof(T) != typeof(double) && typeof(T) != typeof(float)))
        {
            throw new ArgumentException($"The graph is {(IsDouble ? "double" : "float")}; its constants must be too, not {typeof(T).Name}.", nameof(values));
        }

        if (dimensions.Aggregate(1L, (p, d) => checked(p * d)) != values.Length)
        {
            throw new ArgumentException($"A constant of shape [{string.Join(", ", dimensions)}] needs that many values, not {values.Length}.", nameof(values));
        }

        string name = NewName(prefix);
        var tensor = new TensorProto { Name = name, DataType = (int)_type };
        tensor.Dims.AddRange(dimensions);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)); // little-endian on every platform .NET runs on
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Adds a scalar constant in the graph's element type, for example the slope of a leaky ReLU.</summary>
    /// <param name="prefix">A readable prefix for its name.</param>
    /// <param name="value">The value.</param>
    /// <returns>Its name.</returns>
    public string AddScalar(string prefix, double value)
        => IsDouble ? AddInitializer<double>(prefix, [], [value]) : AddInitializer<float>(prefix, [], [(float)value]);

    /// <summary>Adds a constant tensor of 64-bit integers, for example the target shape of a Reshape node.</summary>
    /// <param name="prefix">A readable prefix for its name.</param>
    /// <param name="values">The values, as a vector.</param>
    /// <returns>Its name.</returns>
    public string AddIntegers(string prefix, params long[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        string name = NewName(prefix);
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>
    /// Whether <see cref="Current"/> is a batch of images [m, C, H, W] (after a convolution or pooling) rather than rows
    /// [m, n] — the graph's input is always rows, m×(C·H·W), as the library takes them.
    /// </summary>
    public bool CurrentIsImage => _form == Form.Image;

    /// <summary>Whether <see cref="Current"/> is a batch of sequences [m, T, D] — PyTorch's <c>batch_first</c> layout — rather than rows or images.</summary>
    public bool CurrentIsSequence => _form == Form.Sequence;

    /// <summary>Makes <see cref="Current"/> a batch of <paramref name="shape"/> images: a Reshape to [-1, C, H, W] when it holds rows.</summary>
    /// <param name="shape">C×H×W, the shape of one image.</param>
    /// <exception cref="NotSupportedException"><see cref="Current"/> holds sequences.</exception>
    public void ToImage(FeatureShape shape)
    {
        if (_form == Form.Sequence)
        {
            ToRows();
        }

        if (_form == Form.Rows)
        {
            Apply("Reshape", [Current, AddIntegers("image_shape", -1, shape.Channels, shape.Height, shape.Width)], "image");
            _form = Form.Image;
        }
    }

    /// <summary>
    /// Makes <see cref="Current"/> a batch of <paramref name="shape"/> sequences [m, T, D]: the library's row of a sequence
    /// holds feature d of position t at column d·T + t, so rows are reshaped to [m, D, T] and transposed.
    /// </summary>
    /// <param name="shape">T×D, the shape of one sequence.</param>
    public void ToSequence(FeatureShape shape)
    {
        if (_form == Form.Sequence)
        {
            return;
        }

        ToRows();
        Apply("Reshape", [Current, AddIntegers("sequence_shape", -1, shape.Features, shape.Positions)], "features_by_position");
        Apply("Transpose", [Current], "sequence", ("perm", new long[] { 0, 2, 1 }));
        _form = Form.Sequence;
    }

    /// <summary>
    /// Makes <see cref="Current"/> rows again, m×(C·H·W) or m×(D·T) in the library's order: a Flatten (axis 1) of images, a
    /// transpose to [m, D, T] and a Flatten of sequences.
    /// </summary>
    public void ToRows()
    {
        if (_form == Form.Sequence)
        {
            Apply("Transpose", [Current], "features_by_position", ("perm", new long[] { 0, 2, 1 }));
        }

        if (_form != Form.Rows)
        {
            Apply("Flatten", [Current], "rows", ("axis", 1));
            _form = Form.Rows;
        }
    }

    /// <summary>
    /// Declares that <see cref="Current"/>, taken as it is, now holds a batch of that form: after a node that changes the
    /// form itself (a Flatten of [m, T, D] into rows of T·D, a Gather of token ids into [m, T, D]).
    /// </summary>
    /// <param name="image">Whether it holds images [m, C, H, W].</param>
    /// <param name="sequence">Whether it holds sequences [m, T, D].</param>
    /// <exception cref="ArgumentException">Both are true.</exception>
    public void SetForm(bool image, bool sequence)
        => _form = image && sequence ? throw new ArgumentException("A tensor is an image or a sequence, not both.", nameof(sequence)) : image ? Form.Image : sequence ? Form.Sequence : Form.Rows;

    /// <summary>
    /// The name of an int64 tensor of token ids [m, T] for <see cref="Current"/>: the graph's own input, declared int64
    /// (an exported language model takes its ids as integers, as ONNX's Gather wants them), or a Cast of the values.
    /// </summary>
    /// <returns>The name of the ids.</returns>
    public string TokenIds()
    {
        ToRows();
        if (Current == _inputName && _graph.Input.Count > 0 && _graph.Input[0].Name == _inputName)
        {
            _graph.Input[0].Type.TensorType.ElemType = (int)TensorProto.Types.DataType.Int64;
            return Current;
        }

        return Apply("Cast", [Current], "token_ids", ("to", (int)TensorProto.Types.DataType.Int64));
    }

    /// <summary>Adds a node whose output becomes a fresh tensor, and makes that tensor <see cref="Current"/>.</summary>
    /// <param name="operatorType">The ONNX operator, for example <c>Relu</c>.</param>
    /// <param name="inputs">Its input tensors; <see cref="Current"/> is usually the first.</param>
    /// <param name="prefix">A readable prefix for its output's name.</param>
    /// <param name="attributes">Attributes: int, float, string, or int, long or string arrays, for example <c>("axis", 1)</c> or <c>("kernel_shape", new[] { 5, 5 })</c>.</param>
    /// <returns>The output's name (also <see cref="Current"/>).</returns>
    public string Apply(string operatorType, string[] inputs, string prefix, params (string Name, object Value)[] attributes)
    {
        string output = NewName(prefix);
        AddNode(operatorType, inputs, output, attributes);
        Current = output;
        return output;
    }

    /// <summary>Adds a node.</summary>
    /// <param name="operatorType">The ONNX operator, for example <c>Gemm</c> or <c>Relu</c>.</param>
    /// <param name="inputs">Its input tensors.</param>
    /// <param name="output">Its output tensor.</param>
    /// <param name="attributes">Attributes: int, float, string, or int, long or string arrays.</param>
    public void AddNode(string operatorType, string[] inputs, string output, params (string Name, object Value)[] attributes)
        => AddNode(operatorType, inputs, [output], attributes);

    /// <summary>Adds a node with several outputs, for example a <c>Split</c>.</summary>
    /// <param name="operatorType">The ONNX operator.</param>
    /// <param name="inputs">Its input tensors.</param>
    /// <param name="outputs">Its output tensors, in order.</param>
    /// <param name="attributes">Attributes: int, float, string, or int, long or string arrays.</param>
    /// <remarks>
    /// In a double graph, an operator that ONNX Runtime's CPU provider implements for float only (<see cref="FloatOnlyInOnnxRuntime"/>:
    /// Conv and RNN, as of ONNX Runtime 1.31) is written between Casts — its inputs to float, its outputs back to double — so
    /// that the file runs there; that layer then computes in float.
    /// </remarks>
    public void AddNode(string operatorType, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes)
    {
        ArgumentNullException.ThrowIfNull(operatorType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(attributes);
        if (IsDouble && FloatOnlyInOnnxRuntime.Contains(operatorType))
        {
            const int Float = (int)TensorProto.Types.DataType.Float, Double = (int)TensorProto.Types.DataType.Double;
            string[] floatInputs = [.. inputs.Select(i => i.Length == 0 ? i : CastTo(i, Float))];
            string[] floatOutputs = [.. outputs.Select(o => NewName(o + "_float"))];
            AddNodeAsIs(operatorType, floatInputs, floatOutputs, attributes);
            for (int k = 0; k < outputs.Length; k++)
            {
                AddNodeAsIs("Cast", [floatOutputs[k]], [outputs[k]], [("to", Double)]);
            }

            return;
        }

        AddNodeAsIs(operatorType, inputs, outputs, attributes);
    }

    /// <summary>The operators ONNX Runtime's CPU provider has no double kernel for (measured with ONNX Runtime 1.31): written between Casts in a double graph.</summary>
    public static IReadOnlySet<string> FloatOnlyInOnnxRuntime { get; } = new HashSet<string>(StringComparer.Ordinal) { "Conv", "RNN" };

    private string CastTo(string input, int type)
    {
        string output = NewName(input + "_as_float");
        AddNodeAsIs("Cast", [input], [output], [("to", type)]);
        return output;
    }

    private void AddNodeAsIs(string operatorType, string[] inputs, string[] outputs, (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = operatorType, Name = NewName(operatorType.ToLowerInvariant()) };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        foreach ((string name, object value) in attributes)
        {
            var attribute = new AttributeProto { Name = name };
            switch (value)
            {
                case float f:
                    (attribute.Type, attribute.F) = (AttributeProto.Types.AttributeType.Float, f);
                    break;
                case int i:
                    (attribute.Type, attribute.I) = (AttributeProto.Types.AttributeType.Int, i);
                    break;
                case long l:
                    (attribute.Type, attribute.I) = (AttributeProto.Types.AttributeType.Int, l);
                    break;
                case int[] ints:
                    attribute.Type = AttributeProto.Types.AttributeType.Ints;
                    attribute.Ints.AddRange(ints.Select(v => (long)v));
                    break;
                case long[] longs:
                    attribute.Type = AttributeProto.Types.AttributeType.Ints;
                    attribute.Ints.AddRange(longs);
                    break;
                case string text:
                    (attribute.Type, attribute.S) = (AttributeProto.Types.AttributeType.String, ByteString.CopyFromUtf8(text));
                    break;
                case string[] texts:
                    attribute.Type = AttributeProto.Types.AttributeType.Strings;
                    attribute.Strings.AddRange(texts.Select(ByteString.CopyFromUtf8));
                    break;
                default:
                    throw new ArgumentException($"attribute {name}: only float, int, int-array, string and string-array attributes are written.", nameof(attributes));
            }

            node.Attribute.Add(attribute);
        }

        _graph.Node.Add(node);
    }
}
