using System.Numerics;
using DeepLearning.IO;
using DeepLearning.Layers;
using DeepLearning.Training;
using Google.Protobuf;
using Onnx;

namespace DeepLearning.Serialization;

/// <summary>
/// Writes a network as an ONNX model (opset 17), so that ONNX Runtime — on servers, GPUs, phones or in a browser — runs it:
/// one input <c>input</c> of shape [batch, n_in] — the same rows the library takes, an image's C·H·W values in
/// channel-major order; int64 token ids [batch, T] for a network that starts with an embedding — and the output
/// <c>output</c> [batch, n_out], or [batch, T, D] for a sequence (a language model's logits at every position), with one
/// group of nodes per layer, each written by the layer itself (<see cref="ILayer{T}.ExportOnnx"/>); a network that knows
/// its loss also gets the output <c>probabilities</c>, the loss's head applied (<see cref="Losses.ILoss.ExportOnnxHead"/>)
/// over the last axis.
/// </summary>
/// <remarks>
/// <para>
/// <b>Nodes.</b> A <see cref="Dense{T}"/> layer is <c>Gemm(X, W, b)</c> with <c>transB = 0</c>: W is stored as it is here,
/// n_in×n_out — the Keras orientation, the transpose of PyTorch's <c>nn.Linear.weight</c> (an exporter from PyTorch writes
/// <c>transB = 1</c> with [out, in] instead; both compute X·W + b) — followed by its activation's node (Relu, Sigmoid,
/// Tanh, LeakyRelu — Max(z, α·z) in double, which ONNX Runtime's LeakyRelu lacks — Softmax over axis 1, nothing for the
/// identity). <see cref="Dropout{T}"/> is an Identity node: dropout is off at inference. For a classifier trained with
/// cross-entropy, <c>output</c> holds the logits and <c>probabilities</c> their softmax.
/// </para>
/// <para>
/// <b>Why a package:</b> the ONNX protobuf classes come from OnnxSharp (generated from onnx.proto, on Google.Protobuf)
/// rather than hand-written protobuf encoding. float networks export as FLOAT tensors, double ones as DOUBLE. A test runs
/// the exported digit classifier in ONNX Runtime and compares every output with <c>Network.Predict</c>.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// OnnxExport.Save(network, "digits.onnx");
/// // Python: onnxruntime.InferenceSession("digits.onnx").run(["probabilities"], {"input": x})
/// </code>
/// </example>
public static class OnnxExport
{
    /// <summary>The ONNX operator set the model declares.</summary>
    public const int OpsetVersion = 17;

    /// <summary>Writes <paramref name="network"/> as an ONNX model.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="network">The network.</param>
    /// <param name="path">The <c>.onnx</c> file; replaced atomically.</param>
    /// <exception cref="NotSupportedException">A layer or activation has no ONNX form here, or the network cannot be saved (see <see cref="ModelFile.Save{T}(Network{T}, string)"/>).</exception>
    /// <exception cref="ArgumentException">A weight or bias is NaN or infinite.</exception>
    /// <exception cref="IOException">The file cannot be written; the message names <paramref name="path"/>.</exception>
    public static void Save<T>(Network<T> network, string path)
        where T : struct, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(path);
        ModelFile.CheckSavable(network);
        byte[] bytes = ToModel(network).ToByteArray();
        AtomicFile.Write(path, (Stream stream) => stream.Write(bytes));
    }

    /// <summary>The ONNX model of a network, in memory.</summary>
    internal static ModelProto ToModel<T>(Network<T> network)
        where T : struct, IFloatingPointIeee754<T>
    {
        TensorProto.Types.DataType type = typeof(T) == typeof(float) ? TensorProto.Types.DataType.Float : TensorProto.Types.DataType.Double;
        var graph = new GraphProto { Name = network.ToString() };
        graph.Input.Add(Value("input", type, [network.InputSize])); // an embedding first makes it int64 token ids (OnnxGraph.TokenIds)
        var builder = new OnnxGraph(graph, type, "input");
        foreach (ILayer<T> layer in network.Layers)
        {
            layer.ExportOnnx(builder);
        }

        // The last tensor becomes the graph's output, named "output" — rows [batch, n], or for a sequence [batch, T, D]
        // (each position's values together, PyTorch's batch_first layout); the loss's head on it, "probabilities".
        FeatureShape shape = network.OutputShape;
        long[] dimensions = shape.IsSequence ? [shape.Positions, shape.Features] : [network.OutputSize];
        if (shape.IsSequence)
        {
            builder.ToSequence(shape);
        }
        else
        {
            builder.ToRows();
        }

        string outputs = builder.Current;
        graph.Node.Add(new NodeProto { OpType = "Identity", Name = "output_identity", Input = { outputs }, Output = { "output" } });
        graph.Output.Add(Value("output", type, dimensions));
        if (network.Loss is { } loss)
        {
            loss.ExportOnnxHead(builder);
            graph.Node.Add(new NodeProto { OpType = "Identity", Name = "probabilities_identity", Input = { builder.Current }, Output = { "probabilities" } });
            graph.Output.Add(Value("probabilities", type, dimensions));
        }

        var model = new ModelProto
        {
            IrVersion = 7,
            ProducerName = "DeepLearning",
            ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? string.Empty,
            Graph = graph,
            DocString = $"{network}{(network.Loss is { } l ? $", trained with {l.Spec}" : string.Empty)}, exported by DeepLearning (input rows of C·H·W values; dense W stored n_in×n_out, Gemm transB = 0).",
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = OpsetVersion });
        foreach ((string key, string value) in network.Metadata)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, long[] dimensions)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        foreach (long dimension in dimensions)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dimension });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
