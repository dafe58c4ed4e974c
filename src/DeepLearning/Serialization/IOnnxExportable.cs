using System.Numerics;

namespace DeepLearning.Serialization;

/// <summary>
/// A layer that writes itself into an ONNX graph: the part of the layer protocol that <see cref="OnnxExport"/> uses.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public interface IOnnxExportable<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>Appends this layer's nodes and initializers, reading <see cref="OnnxGraph.Current"/> and setting it to the layer's output.</summary>
    /// <param name="graph">The graph being written.</param>
    /// <param name="index">The layer's position in the network, from 1, for readable names.</param>
    void ExportTo(OnnxGraph graph, int index);
}
