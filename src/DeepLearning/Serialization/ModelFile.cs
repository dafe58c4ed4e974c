using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using DeepLearning.Activations;
using DeepLearning.IO;
using DeepLearning.Initialization;
using DeepLearning.Layers;
using DeepLearning.Training;

namespace DeepLearning.Serialization;

/// <summary>
/// Saves and loads trained networks in the library's versioned binary model format (<c>.dlnn</c>), described in
/// <c>docs/model-format.md</c>: the architecture, each layer's activation, weights and biases, and the element type.
/// </summary>
/// <remarks>
/// A loaded network predicts exactly what the saved one did (the values are stored bit for bit). Files are written to a
/// temporary name and renamed when complete. Loading a truncated, corrupted, foreign or wrong-version file throws
/// <see cref="InvalidDataException"/> with one line naming the file and the problem; sizes in the file are checked against
/// its length before anything is allocated. Weights are stored row by row of W (n_in×n_out, the Keras orientation).
/// </remarks>
/// <example>
/// <code>
/// ModelFile.Save(network, "digits.dlnn");
/// Network&lt;float&gt; again = ModelFile.Load&lt;float&gt;("digits.dlnn");
/// </code>
/// </example>
public static class ModelFile
{
    /// <summary>The format version this library writes: 2, a layer's kind, configuration and parameters. Version 1 files (0.1.0) still load.</summary>
    public const int FormatVersion = 2;

    private static readonly byte[] Magic = "DLNN"u8.ToArray();
    private const int HashLength = 32;

    /// <summary>Saves a network of <see cref="Dense{T}"/> layers.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="network">The network.</param>
    /// <param name="path">The file; replaced atomically.</param>
    /// <exception cref="NotSupportedException">A layer is not a <see cref="Dense{T}"/>, its activation is not built in, or the file would exceed <see cref="MaxFileBytes"/>.</exception>
    /// <exception cref="ArgumentException">A weight or bias is NaN or infinite.</exception>
    /// <exception cref="IOException">The file cannot be written; the message names <paramref name="path"/>.</exception>
    public static void Save<T>(Network<T> network, string path)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(network, nameof(network));
        Preconditions.CheckNotNull(path, nameof(path));
        foreach (Parameter<T> parameter in network.Layers.SelectMany(l => l.Parameters))
        {
            int bad = IndexOfNonFinite<T>(parameter.Values);
            if (bad >= 0)
            {
                throw new ArgumentException(
                    $"{parameter.Name} holds {Preconditions.Format(parameter.Values[bad])} at index {bad}; a network with non-finite weights (a diverged run) cannot be saved.",
                    nameof(network));
            }
        }

        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write((ushort)FormatVersion);
            writer.Write((byte)(typeof(T) == typeof(float) ? 4 : 8));
            writer.Write(network.Layers.Count);
            foreach (ILayer<T> layer in network.Layers)
            {
                // Each layer through the protocol: its kind, its configuration, then each parameter's shape and values, row by row.
                string kind = layer.Kind, configuration = layer.Configuration.ToString();
                try
                {
                    Registries.Layers.Create<T>(kind, LayerConfiguration.Parse(configuration), new Random(0));
                }
                catch (ArgumentException e)
                {
                    throw new NotSupportedException($"{layer.Name}: cannot be saved, its kind and configuration do not build it again ({e.Message}). Register its kind in Registries.Layers.", e);
                }

                writer.Write(kind);
                writer.Write(configuration);
                writer.Write(layer.Parameters.Count);
                foreach (Parameter<T> parameter in layer.Parameters)
                {
                    (int rows, int columns) = (parameter.Shape.Rows, parameter.Shape.Columns);
                    writer.Write(rows);
                    writer.Write(columns);
                    ReadOnlySpan<T> values = parameter.Values; // column by column in memory; written row by row
                    for (int r = 0; r < rows; r++)
                    {
                        for (int c = 0; c < columns; c++)
                        {
                            WriteValue(writer, values[r + (c * rows)]);
                        }
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

    /// <summary>
    /// The largest model file <see cref="Load{T}"/> reads: <see cref="Array.MaxLength"/> bytes (about 2 GiB), the largest
    /// byte array .NET can hold. <see cref="Save{T}"/> refuses a network whose file would be larger.
    /// </summary>
    public const long MaxFileBytes = 0x7FFFFFC7;

    /// <summary>The longest kind or activation name a file may hold, in bytes.</summary>
    private const int MaxNameBytes = 256;

    /// <summary>The longest layer configuration a file may hold, in bytes.</summary>
    private const int MaxConfigurationBytes = 4096;

    /// <summary>Loads a network saved by <see cref="Save{T}"/>. A file saved in the other element type is converted.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="path">The file.</param>
    /// <returns>The network, with the saved weights and biases.</returns>
    /// <remarks>
    /// Before anything is allocated from its contents the file must be a regular file of at most <see cref="MaxFileBytes"/>
    /// (a folder, device or pipe is refused unread) whose SHA-256 checksum matches; every size it declares is checked with
    /// 64-bit arithmetic against the bytes that follow; names are at most 256 bytes; every weight and bias must be finite.
    /// </remarks>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid model file; the message names it and says why. Every problem with the file's contents gives this exception and no other.</exception>
    /// <exception cref="IOException">The file could not be read (for example permission denied).</exception>
    public static Network<T> Load<T>(string path)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(path, nameof(path));
        Preconditions.CheckElementType<T>();
        string name = Path.GetFileName(path);
        byte[] bytes = BoundedFile.ReadAllBytes(path, MaxFileBytes, "a model file");
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{name}: not a DeepLearning model file (it does not start with 'DLNN').");
        }

        if (bytes.Length < Magic.Length + 2)
        {
            throw new InvalidDataException($"{name}: truncated model file (it ends inside the header).");
        }

        int version = BitConverter.ToUInt16(bytes, Magic.Length);
        if (version is not (1 or FormatVersion))
        {
            throw new InvalidDataException($"{name}: model format version {version} is not supported; this library reads versions 1 and {FormatVersion}.");
        }

        if (bytes.Length < Magic.Length + 2 + HashLength)
        {
            throw new InvalidDataException($"{name}: truncated model file (it ends inside the header).");
        }

        ReadOnlySpan<byte> payload = bytes.AsSpan(0, bytes.Length - HashLength);
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashLength)))
        {
            throw new InvalidDataException($"{name}: the model file is truncated or corrupted (its SHA-256 checksum does not match).");
        }

        try
        {
            return version == 1
                ? ReadLayers<T>(bytes, name, (reader, size, l, kind) => ReadLayerVersion1<T>(reader, size, l, kind, name))
                : ReadLayers<T>(bytes, name, (reader, size, l, kind) => ReadLayer<T>(reader, size, l, kind, name));
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{name}: the model file ends before the data its header describes.");
        }
        catch (Exception e) when (e is FormatException or OverflowException or DecoderFallbackException)
        {
            throw new InvalidDataException($"{name}: the model file is malformed ({e.Message.Split('\n')[0].TrimEnd()}).");
        }
    }

    /// <summary>A reader past the magic and version, with the element size (4 or 8) and the layer count (1 to 10,000) checked.</summary>
    private static (BinaryReader Reader, int Size, int Count) OpenPayload(byte[] bytes, string name)
    {
        var reader = new BinaryReader(new MemoryStream(bytes, 0, bytes.Length - HashLength, writable: false), new UTF8Encoding(false, throwOnInvalidBytes: true));
        reader.ReadBytes(Magic.Length + 2);
        int size = reader.ReadByte();
        if (size is not (4 or 8))
        {
            throw new InvalidDataException($"{name}: unknown element type code {size} (expected 4 for float or 8 for double).");
        }

        int count = reader.ReadInt32();
        if (count < 1 || count > 10_000)
        {
            throw new InvalidDataException($"{name}: the header claims {count} layers (a model file holds 1 to 10,000).");
        }

        return (reader, size, count);
    }

    /// <summary>
    /// The layers of a payload, whatever its version: each layer's kind, then the rest as <paramref name="readLayer"/>
    /// reads it; the sizes must chain from layer to layer and no byte may follow the last layer.
    /// </summary>
    private static Network<T> ReadLayers<T>(byte[] bytes, string name, Func<BinaryReader, int, int, string, ILayer<T>> readLayer)
        where T : struct, IFloatingPointIeee754<T>
    {
        (BinaryReader reader, int size, int count) = OpenPayload(bytes, name);
        using BinaryReader disposeReader = reader;
        var layers = new List<ILayer<T>>(count);
        for (int l = 0; l < count; l++)
        {
            ILayer<T> layer = readLayer(reader, size, l, ReadName(reader, name, $"layer {l + 1}'s kind"));
            if (l > 0 && layers[^1].OutputSize != layer.InputSize)
            {
                throw new InvalidDataException($"{name}: layer {l + 1} has {layer.InputSize} inputs but layer {l} has {layers[^1].OutputSize} outputs.");
            }

            layers.Add(layer);
        }

        if (reader.BaseStream.Position != reader.BaseStream.Length)
        {
            throw new InvalidDataException($"{name}: unexpected bytes after the last layer.");
        }

        return new Network<T>(layers);
    }

    /// <summary>Version 2: a layer's configuration builds it through the layer registry; then its parameters.</summary>
    private static ILayer<T> ReadLayer<T>(BinaryReader reader, int size, int l, string kind, string name)
        where T : struct, IFloatingPointIeee754<T>
    {
        string text = ReadName(reader, name, $"layer {l + 1}'s configuration", MaxConfigurationBytes);
        ILayer<T> layer;
        try
        {
            // The configuration's sizes become allocations: check them against the bytes that follow first.
            LayerConfiguration configuration = LayerConfiguration.Parse(text);
            long remaining = reader.BaseStream.Length - reader.BaseStream.Position;
            foreach (var pair in configuration.Pairs)
            {
                if (long.TryParse(pair.Value, out long declared) && declared > remaining && pair.Key is "inputs" or "outputs" or "size")
                {
                    throw new InvalidDataException($"{name}: layer {l + 1} ({kind}) declares {pair.Key}={declared}, more than the {remaining:N0} bytes that follow could hold.");
                }
            }

            if (configuration.Pairs.Any(p => p.Key == "inputs") && configuration.Pairs.Any(p => p.Key == "outputs"))
            {
                long weights = checked((long)configuration.GetSize("inputs") * configuration.GetSize("outputs"));
                if (weights > Array.MaxLength || checked(weights * size) > remaining)
                {
                    throw new InvalidDataException($"{name}: layer {l + 1} ({kind}) declares {configuration}, {weights:N0} weights, more than the {remaining:N0} bytes that follow hold.");
                }
            }

            layer = Registries.Layers.Create<T>(kind, configuration, new Random(0));
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{name}: layer {l + 1}: {e.Message.Split(" (Parameter", StringSplitOptions.None)[0]}");
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

            if (checked(parameter.Shape.Count * size) > reader.BaseStream.Length - reader.BaseStream.Position)
            {
                throw new EndOfStreamException();
            }

            Span<T> values = parameter.Values;
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns; c++)
                {
                    values[r + (c * rows)] = ReadFinite<T>(reader, size, name, l, parameter.Name, r, c);
                }
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

        IActivation activation;
        try
        {
            activation = Activation.FromName(activationName);
        }
        catch (ArgumentException)
        {
            throw new InvalidDataException($"{name}: layer {l + 1} has unknown activation '{activationName}'.");
        }

        var dense = new Dense<T>(inputs, outputs, activation, Initializer.Zeros, Initializer.Zeros, useBias: useBias);
        for (int i = 0; i < inputs; i++)
        {
            for (int j = 0; j < outputs; j++)
            {
                dense.Weights[i, j] = ReadFinite<T>(reader, size, name, l, "weight", i, j);
            }
        }

        for (int j = 0; useBias && j < outputs; j++)
        {
            dense.Bias![j] = ReadFinite<T>(reader, size, name, l, "bias", j, -1);
        }

        return dense;
    }

    /// <summary>A length-prefixed UTF-8 name (BinaryWriter's format), at most <paramref name="maxBytes"/> bytes.</summary>
    private static string ReadName(BinaryReader reader, string name, string what, int maxBytes = MaxNameBytes)
    {
        int length = reader.Read7BitEncodedInt();
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

    private static T ReadFinite<T>(BinaryReader reader, int size, string name, int layer, string what, int i, int j)
        where T : struct, IFloatingPointIeee754<T>
    {
        double value = size == 4 ? reader.ReadSingle() : reader.ReadDouble();
        if (!double.IsFinite(value) || !T.IsFinite(T.CreateChecked(value)))
        {
            string where = what switch
            {
                "weight" => $"weight W[{i}, {j}]",
                "bias" => $"bias b[{i}]",
                _ => $"{what}[{i}, {j}]",
            };
            throw new InvalidDataException(
                FormattableString.Invariant($"{name}: layer {layer + 1}'s {where} is {value}; a model's weights and biases must be finite (was it saved from a diverged training run?)."));
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

    private static T ReadValue<T>(BinaryReader reader, int size)
        where T : struct, IFloatingPointIeee754<T>
        => size == 4 ? T.CreateChecked(reader.ReadSingle()) : T.CreateChecked(reader.ReadDouble());
}
