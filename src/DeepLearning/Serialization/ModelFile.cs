using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using DeepLearning.IO;
using DeepLearning.Layers;
using DeepLearning.Losses;
using DeepLearning.Optimizers;
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
/// would allocate checked against the bytes that follow, before it is built. Files of formats 1 (0.1.0), 2 and 3 (0.2.0)
/// still load. Format 4 adds each layer's state (<see cref="ILayer{T}.State"/>: running statistics, counts), so a
/// network with batch normalization computes after loading exactly what it did when saved.
/// </remarks>
/// <example>
/// <code>
/// ModelFile.Save(network, "digits.dlnn");
/// Network&lt;float&gt; again = ModelFile.Load&lt;float&gt;("digits.dlnn");
/// </code>
/// </example>
public static partial class ModelFile
{
    /// <summary>
    /// The format version this library writes: 4, the loss, then each layer's kind, configuration, parameters and state,
    /// then an optional checkpoint of the training run. Versions 1 to 3 still load.
    /// </summary>
    public const int FormatVersion = 4;

    /// <summary>
    /// The largest model file <see cref="Load{T}(string)"/> reads: <see cref="Array.MaxLength"/> bytes (about 2 GiB), the largest
    /// byte array .NET can hold. <see cref="Save{T}(Network{T}, string)"/> refuses a network whose file would be larger.
    /// </summary>
    public const long MaxFileBytes = 0x7FFFFFC7;

    /// <summary>The most layers a model file holds (and <see cref="Save{T}(Network{T}, string)"/> writes).</summary>
    public const int MaxLayers = 10_000;

    private const int HashLength = 32;

    /// <summary>The longest kind, activation or loss name a file may hold, in bytes.</summary>
    private const int MaxNameBytes = 256;

    /// <summary>The longest layer configuration a file of format 3 or below may hold, in bytes.</summary>
    private const int MaxConfigurationBytesVersion3 = 4096;

    /// <summary>The longest layer configuration a file may hold, in bytes (a block's holds its layers' specs).</summary>
    private const int MaxConfigurationBytes = 65_536;

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
        => Write(network, path, null);

    /// <summary>
    /// Saves a network with a checkpoint of its training run — the optimizer and its state, where the run stands, the
    /// caller's settings — so that <see cref="LoadCheckpoint{T}(string)"/> and <see cref="TrainingOptions.Resume"/> can
    /// continue the run to the same bits as an uninterrupted one. <see cref="Load{T}(string)"/> reads such a file as a network.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="network">The network.</param>
    /// <param name="path">The file; replaced atomically.</param>
    /// <param name="checkpoint">The run's checkpoint.</param>
    /// <exception cref="NotSupportedException">As <see cref="Save{T}(Network{T}, string)"/>, or the optimizer is not registered or cannot export its state.</exception>
    /// <exception cref="ArgumentException">A weight, bias or state value is NaN or infinite.</exception>
    /// <exception cref="IOException">The file cannot be written; the message names <paramref name="path"/>.</exception>
    public static void Save<T>(Network<T> network, string path, Checkpoint checkpoint)
        where T : struct, IFloatingPointIeee754<T>
        => Write(network, path, Preconditions.CheckNotNull(checkpoint, nameof(checkpoint)));

    private static void Write<T>(Network<T> network, string path, Checkpoint? checkpoint)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(network, nameof(network));
        Preconditions.CheckNotNull(path, nameof(path));
        CheckSavable(network);
        OptimizerState<T>? state = null;
        if (checkpoint is not null)
        {
            if (!Registries.Optimizers.TryCreate(checkpoint.Optimizer.Spec, out IOptimizer? again, out _) || again!.Spec != checkpoint.Optimizer.Spec)
            {
                throw new NotSupportedException($"{network}: the optimizer '{checkpoint.Optimizer.Spec}' does not read back from the optimizer registry; register it in Registries.Optimizers to save a checkpoint.");
            }

            state = checkpoint.Optimizer.GetState(network.Parameters);
            if (state.Tensors.Any(t => (uint)t.Parameter >= (uint)network.Parameters.Count || t.Values.Length != network.Parameters[t.Parameter].Count || IndexOfNonFinite<T>(t.Values) >= 0))
            {
                throw new ArgumentException($"{checkpoint.Optimizer}: its state does not fit the network's parameters or is not finite (a diverged run?).", nameof(checkpoint));
            }
        }

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
                WriteTensors(writer, layer.Parameters);
                WriteTensors(writer, layer.State);
            }

            if (checkpoint is null)
            {
                writer.Write((byte)0); // no checkpoint of a training run
            }
            else
            {
                WriteCheckpoint(writer, checkpoint, state!);
            }

            if (network.Metadata.Count > 0)
            {
                // The metadata section, only when there is metadata (so a file without any is what format 4 always was).
                writer.Write((byte)1);
                writer.Write(network.Metadata.Count);
                foreach ((string key, string value) in network.Metadata)
                {
                    writer.Write(key);
                    writer.Write(value);
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

    /// <summary>Loads a network saved by <see cref="Save{T}(Network{T}, string)"/>. A file saved in the other element type is converted.</summary>
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
        return Read<T>(BoundedFile.ReadAllBytes(path, MaxFileBytes, "a model file"), Path.GetFileName(path)).Network;
    }

    /// <summary>
    /// Loads a network saved with a checkpoint (<see cref="Save{T}(Network{T}, string, Checkpoint)"/>) and the checkpoint,
    /// its optimizer built again from its spec with its state restored; a file saved without one gives a null checkpoint.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="path">The file.</param>
    /// <returns>The network and the checkpoint (or null).</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid model file; the message names it and says why.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    public static (Network<T> Network, Checkpoint? Checkpoint) LoadCheckpoint<T>(string path)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(path, nameof(path));
        Preconditions.CheckElementType<T>();
        return Read<T>(BoundedFile.ReadAllBytes(path, MaxFileBytes, "a model file"), Path.GetFileName(path));
    }

    /// <summary>
    /// Loads a network from the bytes of a model file saved by <see cref="Save{T}(Network{T}, string)"/> — one fetched over HTTP, shipped as a
    /// resource, or read from a stream — with exactly the checks <see cref="Load{T}(string)"/> makes on a file.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="bytes">The whole file.</param>
    /// <param name="name">What to call it in messages, for example its file name or address.</param>
    /// <returns>The network, with the saved weights and biases and (format 3) its loss.</returns>
    /// <exception cref="InvalidDataException">The bytes are not a valid model file; the message names it and says why.</exception>
    public static Network<T> Load<T>(byte[] bytes, string name)
        where T : struct, IFloatingPointIeee754<T>
        => Read<T>(bytes, name).Network;

    private static (Network<T> Network, Checkpoint? Checkpoint) Read<T>(byte[] bytes, string name)
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
        catch (DecoderFallbackException)
        {
            throw new InvalidDataException($"{name}: the model file is malformed (a name or setting in it is not UTF-8 text).");
        }
        catch (Exception e) when (e is FormatException or OverflowException)
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

        MetadataRules.CheckSavable(network.Metadata, network.ToString());
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

    /// <summary>The checkpoint section: 1, the optimizer's spec, the settings, the progress, then the optimizer's state.</summary>
    private static void WriteCheckpoint<T>(BinaryWriter writer, Checkpoint checkpoint, OptimizerState<T> state)
        where T : struct, IFloatingPointIeee754<T>
    {
        writer.Write((byte)1);
        writer.Write(checkpoint.Optimizer.Spec);
        writer.Write(checkpoint.Settings.ToString());
        writer.Write(checkpoint.Progress.Epoch);
        writer.Write(checkpoint.Progress.Step);
        writer.Write(checkpoint.Progress.InitialLoss);
        writer.Write(state.Steps);
        writer.Write(state.Tensors.Count);
        foreach (OptimizerTensor<T> tensor in state.Tensors)
        {
            writer.Write(tensor.Parameter);
            writer.Write(tensor.Key);
            writer.Write(tensor.Values.Length);
            foreach (T value in tensor.Values)
            {
                WriteValue(writer, value);
            }
        }
    }

    /// <summary>The checkpoint section after its marker: every count checked against the network and the bytes left before anything is allocated.</summary>
    private static Checkpoint ReadCheckpoint<T>(BinaryReader reader, int size, string name, Network<T> network)
        where T : struct, IFloatingPointIeee754<T>
    {
        string spec = ReadName(reader, name, "the checkpoint's optimizer", MaxConfigurationBytes);
        IOptimizer optimizer = Registries.Optimizers.TryCreate(spec, out IOptimizer? created, out string error)
            ? created!
            : throw new InvalidDataException($"{name}: the checkpoint's optimizer: {error}");
        Arguments settings;
        try
        {
            settings = Arguments.Parse(ReadName(reader, name, "the checkpoint's settings", MaxConfigurationBytes));
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{name}: the checkpoint's settings: {FirstLine(e)}");
        }

        int epoch = reader.ReadInt32();
        long step = reader.ReadInt64(), optimizerSteps;
        double initialLoss = reader.ReadDouble();
        (optimizerSteps, int count) = (reader.ReadInt64(), reader.ReadInt32());
        if (epoch < 0 || step < 0 || optimizerSteps < 0 || !(double.IsFinite(initialLoss) || double.IsNaN(initialLoss)) || count < 0 || count > 4L * network.Parameters.Count)
        {
            throw new InvalidDataException($"{name}: the checkpoint claims epoch {epoch}, step {step}, {optimizerSteps} optimizer steps and {count} state tensors for {network.Parameters.Count} parameters.");
        }

        var tensors = new List<OptimizerTensor<T>>(count);
        for (int k = 0; k < count; k++)
        {
            int parameter = reader.ReadInt32();
            string key = ReadName(reader, name, $"the checkpoint's state tensor {k + 1}");
            int length = reader.ReadInt32();
            if ((uint)parameter >= (uint)network.Parameters.Count || length != network.Parameters[parameter].Count)
            {
                throw new InvalidDataException($"{name}: the checkpoint's state tensor {k + 1} ('{key}') claims {length:N0} values for parameter {parameter}, which {((uint)parameter >= (uint)network.Parameters.Count ? "the network does not have" : $"has {network.Parameters[parameter].Count:N0}")}.");
            }

            var values = new T[length];
            for (int i = 0; i < length; i++)
            {
                double value = size == 4 ? reader.ReadSingle() : reader.ReadDouble();
                values[i] = double.IsFinite(value) ? T.CreateChecked(value) : throw new InvalidDataException($"{name}: the checkpoint's state tensor {k + 1} ('{key}') holds a value that is not finite.");
            }

            tensors.Add(new OptimizerTensor<T>(parameter, key, values));
        }

        try
        {
            optimizer.SetState(network.Parameters, new OptimizerState<T>(optimizerSteps, tensors));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new InvalidDataException($"{name}: the checkpoint's optimizer state: {FirstLine(e)}");
        }

        return new Checkpoint(optimizer, new TrainingProgress(epoch, step, initialLoss), settings);
    }

    /// <summary>The metadata section: 1, a count, then each key and value; the rules of <see cref="MetadataRules"/> and no key twice.</summary>
    private static void ReadMetadata<T>(BinaryReader reader, string name, Network<T> network)
        where T : struct, IFloatingPointIeee754<T>
    {
        byte marker = reader.ReadByte();
        int count = marker == 1 ? reader.ReadInt32() : throw new InvalidDataException($"{name}: unknown section {marker} at the end of the file.");
        if (count < 1 || count > MetadataRules.MaxEntries)
        {
            throw new InvalidDataException($"{name}: the metadata claims {count} entries (a model file holds 1 to {MetadataRules.MaxEntries:N0}).");
        }

        for (int k = 0; k < count; k++)
        {
            string key = ReadName(reader, name, $"metadata key {k + 1}", MetadataRules.MaxKeyBytes);
            string value = ReadName(reader, name, $"the metadata value of '{Shorten(key)}'", MetadataRules.MaxValueBytes);
            if (MetadataRules.Problem(key, value) is { } problem)
            {
                throw new InvalidDataException($"{name}: metadata entry {k + 1}: {problem}.");
            }

            if (!network.Metadata.TryAdd(key, value))
            {
                throw new InvalidDataException($"{name}: the metadata holds '{Shorten(key)}' twice.");
            }
        }
    }

    /// <summary>A count, then each tensor's shape and values in storage order (column by column), which is also PyTorch's row-major order of its export shape.</summary>
    private static void WriteTensors<T>(BinaryWriter writer, IReadOnlyList<Parameter<T>> tensors)
        where T : struct, IFloatingPointIeee754<T>
    {
        writer.Write(tensors.Count);
        foreach (Parameter<T> tensor in tensors)
        {
            writer.Write(tensor.Shape.Rows);
            writer.Write(tensor.Shape.Columns);
            foreach (T value in tensor.Values)
            {
                WriteValue(writer, value);
            }
        }
    }

    /// <summary>
    /// The network of a payload, whatever its version: the loss (version 3), then each layer's kind and the rest as its
    /// version stores it; the shapes must chain from layer to layer and no byte may follow the last layer.
    /// </summary>
    private static (Network<T> Network, Checkpoint? Checkpoint) ReadNetwork<T>(byte[] bytes, string name, int version)
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
            ILayer<T> layer = version == 1 ? ReadLayerVersion1<T>(reader, size, l, kind, name) : ReadLayer<T>(reader, size, l, kind, name, version);
            if (l > 0 && !layers[^1].OutputShape.ChainsTo(layer.InputShape))
            {
                throw new InvalidDataException($"{name}: layer {l + 1} takes {layer.InputShape} but layer {l} produces {layers[^1].OutputShape}.");
            }

            layers.Add(layer);
        }

        var network = new Network<T>(layers) { Loss = loss };
        Checkpoint? checkpoint = null;
        if (version >= 4)
        {
            byte section = reader.ReadByte();
            checkpoint = section switch
            {
                0 => null,
                1 => ReadCheckpoint(reader, size, name, network),
                _ => throw new InvalidDataException($"{name}: unknown section {section} after the last layer."),
            };
        }

        if (version >= 4 && reader.BaseStream.Position != reader.BaseStream.Length)
        {
            ReadMetadata(reader, name, network);
        }

        if (reader.BaseStream.Position != reader.BaseStream.Length)
        {
            throw new InvalidDataException($"{name}: unexpected bytes after the {(network.Metadata.Count > 0 ? "metadata" : checkpoint is null ? "last layer" : "checkpoint")}.");
        }

        return (network, checkpoint);
    }

    /// <summary>
    /// Versions 2 to 4: a layer's kind and configuration plan it, what it would allocate is checked against the bytes that
    /// follow, it is built through the layer registry, then its parameters are read (row by row in version 2) and, from
    /// version 4, its state.
    /// </summary>
    private static ILayer<T> ReadLayer<T>(BinaryReader reader, int size, int l, string kind, string name, int version)
        where T : struct, IFloatingPointIeee754<T>
    {
        string text = ReadName(reader, name, $"layer {l + 1}'s configuration", version >= 4 ? MaxConfigurationBytes : MaxConfigurationBytesVersion3);
        ILayer<T> layer;
        try
        {
            Arguments configuration = Arguments.Parse(text);
            (_, LayerPlan plan) = Registries.Layers.Plan(kind, configuration);
            long remaining = reader.BaseStream.Length - reader.BaseStream.Position;
            if (plan.Parameters > remaining / size)
            {
                throw new InvalidDataException($"{name}: layer {l + 1} ({kind}: {Shorten(text)}) holds {plan.Parameters:N0} values, more than the {remaining:N0} bytes that follow could hold.");
            }

            layer = Registries.Layers.Create<T>(kind, configuration, new Random(0));
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{name}: layer {l + 1}: {FirstLine(e)}");
        }

        ReadTensors(reader, size, l, name, layer, layer.Parameters, "parameter", rowByRow: version == 2);
        if (version >= 4)
        {
            ReadTensors(reader, size, l, name, layer, layer.State, "state", rowByRow: false);
        }

        return layer;
    }

    /// <summary>A count that must be the layer's, then each tensor's shape, which must be the layer's, and its finite values.</summary>
    private static void ReadTensors<T>(BinaryReader reader, int size, int l, string name, ILayer<T> layer, IReadOnlyList<Parameter<T>> tensors, string what, bool rowByRow)
        where T : struct, IFloatingPointIeee754<T>
    {
        int count = reader.ReadInt32();
        if (count != tensors.Count)
        {
            throw new InvalidDataException($"{name}: layer {l + 1} ({layer.Name}) holds {count} {what} tensors, but such a layer has {tensors.Count}.");
        }

        foreach (Parameter<T> tensor in tensors)
        {
            int rows = reader.ReadInt32(), columns = reader.ReadInt32();
            if (rows != tensor.Shape.Rows || columns != tensor.Shape.Columns)
            {
                throw new InvalidDataException($"{name}: layer {l + 1}'s {tensor.Name} is stored as {rows}×{columns}, but the layer's is {tensor.Shape}.");
            }

            T[] values = new T[tensor.Count];
            for (int k = 0; k < values.Length; k++)
            {
                values[k] = ReadFinite<T>(reader, size, name, l, tensor, rowByRow ? (k / columns, k % columns) : (k % rows, k / rows));
                if (tensor.IsInteger && !T.IsInteger(values[k]))
                {
                    throw new InvalidDataException(FormattableString.Invariant($"{name}: layer {l + 1}'s {tensor.Name} holds {values[k]}, but it is a count (a whole number)."));
                }
            }

            if (rowByRow)
            {
                StorageOrder.FromRowByRow<T>(values, rows, columns, tensor.Values);
            }
            else
            {
                values.CopyTo(tensor.Values);
            }
        }
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

    /// <summary>A configuration quoted in a message: its first 200 characters.</summary>
    private static string Shorten(string text) => text.Length <= 200 ? text : text[..197] + "...";
}
