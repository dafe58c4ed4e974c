using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using DeepLearning.Activations;
using DeepLearning.IO;
using DeepLearning.Initialization;
using DeepLearning.Layers;
using DeepLearning.Losses;
using DeepLearning.Training;

namespace DeepLearning.Serialization;

/// <summary>
/// Saves and loads trained networks in the library's versioned binary model format (<c>.dlnn</c>), described in
/// <c>docs/model-format.md</c>: the loss the network was trained with, and each layer through the layer protocol — its
/// kind, its configuration (input shape included) and its parameters — in the element type of the network.
/// </summary>
/// <remarks>
/// A loaded network predicts exactly what the saved one did (the values are stored bit for bit) and knows its loss, so
/// <see cref="Network{T}.Predict(Tensor{T})"/> gives probabilities for a classifier. Files are written to a temporary
/// name and renamed when complete. Loading a truncated, corrupted, foreign or wrong-version file throws
/// <see cref="InvalidDataException"/> with one line naming the file and the problem; every layer is planned, and what it
/// would allocate checked against the bytes that follow, before it is built. Files of format 1 (0.1.0) and 2 still load.
/// </remarks>
/// <example>
/// <code>
/// ModelFile.Save(network, "digits.dlnn");
/// Network&lt;float&gt; again = ModelFile.Load&lt;float&gt;("digits.dlnn");
/// </code>
/// </example>
public static class ModelFile
{
    /// <summary>The format version this library writes: 3, the loss, then each layer's kind, configuration and parameters. Versions 1 and 2 still load.</summary>
    public const int FormatVersion = 3;

    /// <summary>
    /// The largest model file <see cref="Load{T}(string)"/> reads: <see cref="Array.MaxLength"/> bytes (about 2 GiB), the largest
    /// byte array .NET can hold. <see cref="Save{T}"/> refuses a network whose file would be larger.
    /// </summary>
    public const long MaxFileBytes = 0x7FFFFFC7;

    /// <summary>The most layers a model file holds (and <see cref="Save{T}"/> writes).</summary>
    public const int MaxLayers = 10_000;

    private const int HashLength = 32;

    /// <summary>The longest kind, activation or loss name a file may hold, in bytes.</summary>
    private const int MaxNameBytes = 256;

    /// <summary>The longest layer configuration a file may hold, in bytes.</summary>
    private const int MaxConfigurationBytes = 4096;

    private static readonly byte[] Magic = "DLNN"u8.ToArray();

    /// <summary>Saves a network: its loss (if known) and every layer through the layer protocol.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="network">The network.</param>
    /// <param name="path">The file; replaced atomically.</param>
    /// <remarks>Nothing is written that <see cref="Load{T}(string)"/> would refuse: the same checks run first.</remarks>
    /// <exception cref="NotSupportedException">A layer's kind and configuration do not build it again (its kind is not registered), the network has more than <see cref="MaxLayers"/> layers, or the file would exceed <see cref="MaxFileBytes"/>.</exception>
    /// <exception cref="ArgumentException">A weight or bias is NaN or infinite.</exception>
    /// <exception cref="IOException">The file cannot be written; the message names <paramref name="path"/>.</exception>
    public static void Save<T>(Network<T> network, string path)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(network, nameof(network));
        Preconditions.CheckNotNull(path, nameof(path));
        CheckSavable(network);
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write((ushort)FormatVersion);
            writer.Write((byte)(typeof(T) == typeof(float) ? 4 : 8));
            writer.Write(network.Loss?.Spec ?? string.Empty);
            writer.Write(network.Layers.Count);
            foreach (ILayer<T> layer in network.Layers)
            {
                // Each layer through the protocol: its kind, its configuration, then each parameter's shape and values in
                // storage order (column by column), which is also PyTorch's row-major order of the parameter's export shape.
                writer.Write(layer.Kind);
                writer.Write(layer.Configuration.ToString());
                writer.Write(layer.Parameters.Count);
                foreach (Parameter<T> parameter in layer.Parameters)
                {
                    writer.Write(parameter.Shape.Rows);
                    writer.Write(parameter.Shape.Columns);
                    foreach (T value in parameter.Values)
                    {
                        WriteValue(writer, value);
                    }
                }
            }
        }

        if (payload.Length + HashLength > MaxFileBytes)
        {
            throw new NotSupportedException($"{network}: the model file would be {payload.Length + HashLength:N0} bytes, more than the {MaxFileBytes:N0} a model file may have.");
        }

        byte[] hash = SHA256.HashData(payload.GetBuffer().AsSpan(0, (int)payload.Length));
        AtomicFile.Write(path, file =>
        {
            file.Write(payload.GetBuffer(), 0, (int)payload.Length);
            file.Write(hash);
        });
    }

    /// <summary>Loads a network saved by <see cref="Save{T}"/>. A file saved in the other element type is converted.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="path">The file.</param>
    /// <returns>The network, with the saved weights and biases and (format 3) its loss.</returns>
    /// <remarks>
    /// Before anything is allocated from its contents the file must be a regular file of at most <see cref="MaxFileBytes"/>
    /// (a folder, device or pipe is refused unread) whose SHA-256 checksum matches; every layer is planned from its kind
    /// and configuration, and the values it will allocate checked with 64-bit arithmetic against the bytes that follow,
    /// before it is built; names are at most 256 bytes; every weight and bias must be finite.
    /// </remarks>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid model file; the message names it and says why. Every problem with the file's contents gives this exception and no other.</exception>
    /// <exception cref="IOException">The file could not be read (for example permission denied).</exception>
    public static Network<T> Load<T>(string path)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(path, nameof(path));
        Preconditions.CheckElementType<T>();
        return Load<T>(BoundedFile.ReadAllBytes(path, MaxFileBytes, "a model file"), Path.GetFileName(path));
    }

    /// <summary>
    /// Loads a network from the bytes of a model file saved by <see cref="Save{T}"/> — one fetched over HTTP, shipped as a
    /// resource, or read from a stream — with exactly the checks <see cref="Load{T}(string)"/> makes on a file.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="bytes">The whole file.</param>
    /// <param name="name">What to call it in messages, for example its file name or address.</param>
    /// <returns>The network, with the saved weights and biases and (format 3) its loss.</returns>
    /// <exception cref="InvalidDataException">The bytes are not a valid model file; the message names it and says why.</exception>
    public static Network<T> Load<T>(byte[] bytes, string name)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(bytes, nameof(bytes));
        Preconditions.CheckNotNull(name, nameof(name));
        Preconditions.CheckElementType<T>();
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{name}: not a DeepLearning model file (it does not start with 'DLNN').");
        }

        if (bytes.Length < Magic.Length + 2 + HashLength)
        {
            throw new InvalidDataException($"{name}: truncated model file (it ends inside the header).");
        }

        int version = BitConverter.ToUInt16(bytes, Magic.Length);
        if (version is < 1 or > FormatVersion)
        {
            throw new InvalidDataException($"{name}: model format version {version} is not supported; this library reads versions 1 to {FormatVersion}.");
        }

        ReadOnlySpan<byte> payload = bytes.AsSpan(0, bytes.Length - HashLength);
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashLength)))
        {
            throw new InvalidDataException($"{name}: the model file is truncated or corrupted (its SHA-256 checksum does not match).");
        }

        try
        {
            return ReadNetwork<T>(bytes, name, version);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{name}: the model file ends before the data its header describes.");
        }
        catch (Exception e) when (e is FormatException or OverflowException or DecoderFallbackException)
        {
            throw new InvalidDataException($"{name}: the model file is malformed ({FirstLine(e)}).");
        }
    }

    /// <summary>Refuses, before anything is written, a network that <see cref="Load{T}(string)"/> would refuse (also for safetensors and ONNX).</summary>
    internal static void CheckSavable<T>(Network<T> network)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (network.Layers.Count > MaxLayers)
        {
            throw new NotSupportedException($"{network}: {network.Layers.Count:N0} layers, more than the {MaxLayers:N0} a model file holds.");
        }

        if (network.Loss is { } loss && (!Registries.Losses.TryCreate(loss.Spec, out ILoss? again, out _) || again!.Spec != loss.Spec))
        {
            throw new NotSupportedException($"{network}: its loss '{loss.Spec}' does not read back from the loss registry; register it in Registries.Losses.");
        }

        foreach (ILayer<T> layer in network.Layers)
        {
            string configuration = layer.Configuration.ToString();
            if (Encoding.UTF8.GetByteCount(layer.Kind) > MaxNameBytes || Encoding.UTF8.GetByteCount(configuration) > MaxConfigurationBytes)
            {
                throw new NotSupportedException($"{layer.Name}: its kind or configuration is longer than a model file holds ({MaxNameBytes} and {MaxConfigurationBytes} bytes).");
            }

            try
            {
                (FeatureShape input, LayerPlan plan) = Registries.Layers.Plan(layer.Kind, Arguments.Parse(configuration));
                if (input != layer.InputShape || plan.Output != layer.OutputShape || plan.Parameters != layer.Parameters.Sum(p => (long)p.Count))
                {
                    throw new ArgumentException($"they describe {input}→{plan.Output} with {plan.Parameters:N0} parameters");
                }
            }
            catch (ArgumentException e)
            {
                throw new NotSupportedException($"{layer.Name}: cannot be saved, its kind and configuration do not build it again ({FirstLine(e)}). Register its kind in Registries.Layers.", e);
            }

            foreach (Parameter<T> parameter in layer.Parameters)
            {
                int bad = IndexOfNonFinite<T>(parameter.Values);
                if (bad >= 0)
                {
                    throw new ArgumentException(
                        $"{parameter.Name} holds {Preconditions.Format(parameter.Values[bad])} at index {bad}; a network with non-finite weights (a diverged run) cannot be saved.",
                        nameof(network));
                }
            }
        }
    }

    /// <summary>
    /// The network of a payload, whatever its version: the loss (version 3), then each layer's kind and the rest as its
    /// version stores it; the shapes must chain from layer to layer and no byte may follow the last layer.
    /// </summary>
    private static Network<T> ReadNetwork<T>(byte[] bytes, string name, int version)
        where T : struct, IFloatingPointIeee754<T>
    {
        using var reader = new BinaryReader(new MemoryStream(bytes, 0, bytes.Length - HashLength, writable: false), new UTF8Encoding(false, throwOnInvalidBytes: true));
        reader.ReadBytes(Magic.Length + 2);
        int size = reader.ReadByte();
        if (size is not (4 or 8))
        {
            throw new InvalidDataException($"{name}: unknown element type code {size} (expected 4 for float or 8 for double).");
        }

        ILoss? loss = null;
        if (version >= 3 && ReadName(reader, name, "the loss") is { Length: > 0 } spec)
        {
            loss = Registries.Losses.TryCreate(spec, out ILoss? found, out string error)
                ? found
                : throw new InvalidDataException($"{name}: the stored loss: {error}");
        }

        int count = reader.ReadInt32();
        if (count < 1 || count > MaxLayers)
        {
            throw new InvalidDataException($"{name}: the header claims {count} layers (a model file holds 1 to {MaxLayers:N0}).");
        }

        var layers = new List<ILayer<T>>(count);
        for (int l = 0; l < count; l++)
        {
            string kind = ReadName(reader, name, $"layer {l + 1}'s kind");
            ILayer<T> layer = version == 1 ? ReadLayerVersion1<T>(reader, size, l, kind, name) : ReadLayer<T>(reader, size, l, kind, name, rowByRow: version == 2);
            if (l > 0 && !layers[^1].OutputShape.ChainsTo(layer.InputShape))
            {
                throw new InvalidDataException($"{name}: layer {l + 1} takes {layer.InputShape} but layer {l} produces {layers[^1].OutputShape}.");
            }

            layers.Add(layer);
        }

        if (reader.BaseStream.Position != reader.BaseStream.Length)
        {
            throw new InvalidDataException($"{name}: unexpected bytes after the last layer.");
        }

        return new Network<T>(layers) { Loss = loss };
    }

    /// <summary>
    /// Versions 2 and 3: a layer's kind and configuration plan it, what it would allocate is checked against the bytes that
    /// follow, it is built through the layer registry, then its parameters are read (row by row in version 2).
    /// </summary>
    private static ILayer<T> ReadLayer<T>(BinaryReader reader, int size, int l, string kind, string name, bool rowByRow)
        where T : struct, IFloatingPointIeee754<T>
    {
        string text = ReadName(reader, name, $"layer {l + 1}'s configuration", MaxConfigurationBytes);
        ILayer<T> layer;
        try
        {
            Arguments configuration = Arguments.Parse(text);
            (_, LayerPlan plan) = Registries.Layers.Plan(kind, configuration);
            long remaining = reader.BaseStream.Length - reader.BaseStream.Position;
            if (plan.Parameters > remaining / size)
            {
                throw new InvalidDataException($"{name}: layer {l + 1} ({kind}: {text}) holds {plan.Parameters:N0} values, more than the {remaining:N0} bytes that follow could hold.");
            }

            layer = Registries.Layers.Create<T>(kind, configuration, new Random(0));
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{name}: layer {l + 1}: {FirstLine(e)}");
        }

        int parameters = reader.ReadInt32();
        if (parameters != layer.Parameters.Count)
        {
            throw new InvalidDataException($"{name}: layer {l + 1} ({layer.Name}) holds {parameters} parameter tensors, but such a layer has {layer.Parameters.Count}.");
        }

        foreach (Parameter<T> parameter in layer.Parameters)
        {
            int rows = reader.ReadInt32(), columns = reader.ReadInt32();
            if (rows != parameter.Shape.Rows || columns != parameter.Shape.Columns)
            {
                throw new InvalidDataException($"{name}: layer {l + 1}'s {parameter.Name} is stored as {rows}×{columns}, but the layer's is {parameter.Shape}.");
            }

            T[] values = new T[parameter.Count];
            for (int k = 0; k < values.Length; k++)
            {
                values[k] = ReadFinite<T>(reader, size, name, l, parameter, rowByRow ? (k / columns, k % columns) : (k % rows, k / rows));
            }

            if (rowByRow)
            {
                StorageOrder.FromRowByRow<T>(values, rows, columns, parameter.Values);
            }
            else
            {
                values.CopyTo(parameter.Values);
            }
        }

        return layer;
    }

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

    /// <summary>A length-prefixed UTF-8 name (BinaryWriter's format), at most <paramref name="maxBytes"/> bytes.</summary>
    private static string ReadName(BinaryReader reader, string name, string what, int maxBytes = MaxNameBytes)
    {
        int length = 0;
        for (int shift = 0; ; shift += 7)
        {
            // The 7-bit-encoded length, read here so that a malformed one is named as such (and never over 5 bytes).
            byte part = reader.ReadByte();
            if (shift == 28 && part > 0x0F)
            {
                throw new InvalidDataException($"{name}: {what} has a malformed length.");
            }

            length |= (part & 0x7F) << shift;
            if (part < 0x80)
            {
                break;
            }
        }

        if (length < 0 || length > maxBytes)
        {
            throw new InvalidDataException($"{name}: {what} claims a length of {length} bytes (at most {maxBytes}).");
        }

        byte[] text = reader.ReadBytes(length);
        if (text.Length != length)
        {
            throw new EndOfStreamException();
        }

        return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(text);
    }

    /// <summary>One value, which must be finite; a message names the parameter and the entry (row, column) it belongs to.</summary>
    private static T ReadFinite<T>(BinaryReader reader, int size, string name, int layer, Parameter<T> parameter, (int Row, int Column) entry)
        where T : struct, IFloatingPointIeee754<T>
    {
        double value = size == 4 ? reader.ReadSingle() : reader.ReadDouble();
        if (!double.IsFinite(value) || !T.IsFinite(T.CreateChecked(value)))
        {
            string at = parameter.Shape.Rows == 1 ? $"[{entry.Column}]" : $"[{entry.Row}, {entry.Column}]";
            throw new InvalidDataException(
                FormattableString.Invariant($"{name}: layer {layer + 1}'s {parameter.Name}{at} is {value}; a model's weights and biases must be finite (was it saved from a diverged training run?)."));
        }

        return T.CreateChecked(value);
    }

    private static int IndexOfNonFinite<T>(ReadOnlySpan<T> values)
        where T : struct, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static void WriteValue<T>(BinaryWriter writer, T value)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            writer.Write(float.CreateChecked(value));
        }
        else
        {
            writer.Write(double.CreateChecked(value));
        }
    }

    private static string FirstLine(Exception e) => e.Message.Split('\n')[0].Split(" (Parameter", StringSplitOptions.None)[0].TrimEnd();
}
