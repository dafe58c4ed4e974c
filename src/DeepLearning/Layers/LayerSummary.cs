namespace DeepLearning.Layers;

/// <summary>A layer's row in <c>Network.Summary()</c>.</summary>
/// <param name="Detail">What the layer does beyond its kind: its activation (<c>ReLU</c>) or setting (<c>rate 0.5</c>).</param>
/// <param name="Weights">The shape of its weight matrix (<c>784×30</c>), or <c>—</c> for a layer without weights.</param>
public sealed record LayerSummary(string Detail, string Weights);
