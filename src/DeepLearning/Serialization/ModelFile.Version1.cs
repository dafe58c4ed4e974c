using System.Numerics;
using DeepLearning.Activations;
using DeepLearning.Initialization;
using DeepLearning.Layers;

namespace DeepLearning.Serialization;

/// <content>The reader of format 1, the model files of 0.1.0: dense layers only.</content>
public static partial class ModelFile
{
    /// <summary>Version 1 (0.1.0): a Dense layer with its activation's name, W row by row, then b.</summary>
    private static Dense<T> ReadLayerVersion1<T>(BinaryReader reader, int size, int l, string kind, string name)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (kind != "Dense")
        {
            throw new InvalidDataException($"{name}: layer {l + 1} has unknown kind '{kind}'.");
        }

        int inputs = reader.ReadInt32(), outputs = reader.ReadInt32();
        string activationName = ReadName(reader, name, $"layer {l + 1}'s activation");
        bool useBias = reader.ReadBoolean();
        long remaining = reader.BaseStream.Length - reader.BaseStream.Position;
        if (inputs < 1 || outputs < 1)
        {
            throw new InvalidDataException($"{name}: layer {l + 1} claims {inputs}→{outputs} neurons; sizes must be at least 1.");
        }

        // Each factor is below 2³¹, so the products below stay far from 2⁶³: no 64-bit wrap (checked all the same).
        long weights = checked((long)inputs * outputs);
        long values = checked(weights + (useBias ? outputs : 0));
        if (weights > Array.MaxLength || checked(values * size) > remaining)
        {
            throw new InvalidDataException(
                $"{name}: layer {l + 1} claims {inputs:N0}→{outputs:N0} neurons ({values:N0} values of {size} bytes), but only {remaining:N0} bytes follow.");
        }

        IActivation activation = Registries.Activations.TryCreate(activationName, out IActivation? found, out _)
            ? found!
            : throw new InvalidDataException($"{name}: layer {l + 1} has unknown activation '{activationName}'.");
        var dense = new Dense<T>(inputs, outputs, activation, Initializer.Zeros, Initializer.Zeros, useBias: useBias);
        var w = new T[weights];
        for (int k = 0; k < w.Length; k++)
        {
            w[k] = ReadFinite<T>(reader, size, name, l, dense.Parameters[0], (k / outputs, k % outputs));
        }

        StorageOrder.FromRowByRow<T>(w, inputs, outputs, dense.Parameters[0].Values);
        for (int j = 0; useBias && j < outputs; j++)
        {
            dense.Bias![j] = ReadFinite<T>(reader, size, name, l, dense.Parameters[1], (0, j));
        }

        return dense;
    }

}
