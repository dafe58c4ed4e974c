namespace DeepLearning.Layers;

/// <summary>
/// What a layer of some kind and configuration will be, computed before it is built: the shape of its output, how many
/// trainable values it allocates, and how many values it keeps per sample of a batch while training (its outputs,
/// gradients and other buffers). The model file and safetensors check a file's layers against its length with it before
/// anything is allocated; the trainer's memory check and the network summary read it too.
/// </summary>
/// <param name="Output">The shape of one output sample.</param>
/// <param name="Parameters">The number of trainable values (weights and biases).</param>
/// <param name="ValuesPerSample">The values the layer's buffers hold per sample of a training batch (forward and backward).</param>
public readonly record struct LayerPlan(FeatureShape Output, long Parameters, long ValuesPerSample);
