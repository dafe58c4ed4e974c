using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using DeepLearning.Activations;
using Google.Protobuf;
using Onnx;

namespace DeepLearning.Serialization;

/// <summary>
/// The ONNX graph being written by <see cref="OnnxExport"/>: each layer appends its own nodes and initializers
/// (<see cref="IOnnxExportable{T}"/>), reading the name of the tensor the previous layer produced from
/// <see cref="Current"/> and setting it to the name of its own output.
/// </summary>
public sealed class OnnxGraph
{
    private readonly GraphProto _graph;
    private readonly TensorProto.Types.DataType _type;
    private int _counter;

    internal OnnxGraph(GraphProto graph, TensorProto.Types.DataType type, string input)
    {
        _graph = graph;
        _type = type;
        Current = input;
    }

    /// <summary>The name of the tensor the layers so far produce (the graph's input before the first layer).</summary>
    public string Current { get; set; }

    /// <summary>A fresh tensor name with the given prefix, for example <c>dense1_z</c>.</summary>
    /// <param name="prefix">A readable prefix.</param>
    /// <returns>A name no other tensor has.</returns>
    public string NewName(string prefix) => string.Create(CultureInfo.InvariantCulture, $"{prefix}_{++_counter}");

    /// <summary>Adds a constant tensor (an initializer) in the graph's element type, values row by row.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="name">Its name.</param>
    /// <param name="dimensions">Its shape.</param>
    /// <param name="values">Its values, row by row (the last dimension fastest).</param>
    public void AddInitializer<T>(string name, long[] dimensions, ReadOnlySpan<T> values)
        where T : struct, IFloatingPointIeee754<T>
    {
        var tensor = new TensorProto { Name = name, DataType = (int)_type };
        tensor.Dims.AddRange(dimensions);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)); // little-endian on every platform .NET runs on
        _graph.Initializer.Add(tensor);
    }

    /// <summary>Adds a node.</summary>
    /// <param name="operatorType">The ONNX operator, for example <c>Gemm</c> or <c>Relu</c>.</param>
    /// <param name="inputs">Its input tensors.</param>
    /// <param name="output">Its output tensor.</param>
    /// <param name="attributes">Integer or float attributes, for example <c>("alpha", 0.01f)</c>.</param>
    public void AddNode(string operatorType, string[] inputs, string output, params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = operatorType, Name = NewName(operatorType.ToLowerInvariant()) };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        foreach ((string name, object value) in attributes)
        {
            node.Attribute.Add(value switch
            {
                float f => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = f },
                int i => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = i },
                _ => throw new ArgumentException($"attribute {name}: only float and int attributes are written.", nameof(attributes)),
            });
        }

        _graph.Node.Add(node);
    }

    /// <summary>
    /// Appends the node of an activation applied to <see cref="Current"/>: Sigmoid, Tanh, Relu, LeakyRelu (alpha),
    /// Softmax (axis 1, over each row) or nothing for the identity.
    /// </summary>
    /// <param name="activation">The activation.</param>
    /// <param name="prefix">A readable prefix for the output's name.</param>
    /// <exception cref="NotSupportedException">The activation has no ONNX operator here.</exception>
    public void AddActivation(IActivation activation, string prefix)
    {
        ArgumentNullException.ThrowIfNull(activation);
        if (activation is LeakyReLU doubleLeaky && _type == TensorProto.Types.DataType.Double)
        {
            // ONNX Runtime implements LeakyRelu for float only; for double, LeakyReLU(z) = max(z, α·z) since 0 ≤ α < 1.
            string alpha = NewName(prefix + "_alpha"), scaled = NewName(prefix + "_scaled"), maximum = NewName(prefix);
            var constant = new TensorProto { Name = alpha, DataType = (int)_type, RawData = ByteString.CopyFrom(BitConverter.GetBytes(doubleLeaky.Alpha)) };
            _graph.Initializer.Add(constant);
            AddNode("Mul", [Current, alpha], scaled);
            AddNode("Max", [Current, scaled], maximum);
            Current = maximum;
            return;
        }

        (string Op, (string, object)[] Attributes)? node = activation switch
        {
            Identity => null,
            Sigmoid => ("Sigmoid", []),
            Tanh => ("Tanh", []),
            ReLU => ("Relu", []),
            LeakyReLU leaky => ("LeakyRelu", [("alpha", (float)leaky.Alpha)]),
            Softmax => ("Softmax", [("axis", 1)]),
            _ => throw new NotSupportedException($"The activation {activation.Spec} has no ONNX operator in this exporter."),
        };
        if (node is { } n)
        {
            string output = NewName(prefix);
            AddNode(n.Op, [Current], output, n.Attributes);
            Current = output;
        }
    }
}
