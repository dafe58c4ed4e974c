using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using DeepLearning.IO;
using DeepLearning.Layers;
using DeepLearning.Losses;
using DeepLearning.Training;

namespace DeepLearning.Serialization;

/// <summary>
/// Saves and loads a network's parameters in the safetensors format, with PyTorch's names and layout, so that a model
/// moves to and from PyTorch's <c>nn.Sequential</c>: tensor <c>0.weight</c> of shape [out, in] and <c>0.bias</c> for the
/// first Linear layer, and so on, the module indices counting the activation, pooling, dropout and flatten modules in
/// between — each layer says what it is in PyTorch (<see cref="TorchSequential{T}"/>).
/// </summary>
/// <remarks>
/// <para>
/// <b>The transpose.</b> <see cref="Dense{T}"/>'s W is n_in×n_out (rows = the layer the connections come from); PyTorch's
/// <c>nn.Linear.weight</c> is n_out×n_in. The file holds PyTorch's orientation: <c>i.weight[j, k] = W[k, j]</c>. That is
/// W's own storage order (column by column), so the values are copied as they are (<see cref="Parameter{T}.ExportShape"/>).
/// </para>
/// <para>
/// <b>The format</b> (huggingface/safetensors): 8 bytes of little-endian header length N, N bytes of JSON — for each
/// tensor its <c>dtype</c> (<c>F32</c> or <c>F64</c>), <c>shape</c> and <c>data_offsets</c> [begin, end) into the data that
/// follows — then the raw little-endian values, row by row. <c>__metadata__</c> holds the architecture
/// (<c>deeplearning.layers</c>: each layer's kind and configuration), the loss (<c>deeplearning.loss</c>) and, for people,
/// the same network as PyTorch code (<c>deeplearning.pytorch</c>), so <see cref="Load{T}(string)"/> rebuilds the network;
/// a file without it (written by PyTorch) is read into a network of the right architecture with
/// <see cref="LoadInto{T}(Network{T}, string)"/>.
/// </para>
/// <para>
/// <b>Checked on load</b>, before anything is allocated from the file: a regular file of at most
/// <see cref="ModelFile.MaxFileBytes"/>; a header of at most 100,000,000 bytes inside the file; valid JSON; every tensor's
/// dtype, shape (checked 64-bit products) and offsets, which must lie inside the data, match the shape's byte count and not
/// overlap; the names and shapes the network expects, no more and no fewer; finite values. Every problem is one
/// <see cref="InvalidDataException"/> naming the file and the tensor.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// SafeTensors.Save(network, "digits.safetensors");              // for PyTorch: model.load_state_dict(...)
/// Network&lt;float&gt; again = SafeTensors.Load&lt;float&gt;("digits.safetensors");
/// </code>
/// </example>
public static class SafeTensors
{
    /// <summary>The largest header accepted, in bytes (the format's own limit).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private const string LayersKey = "deeplearning.layers";
    private const string LossKey = "deeplearning.loss";
    private const string PyTorchKey = "deeplearning.pytorch";

    /// <summary>Saves the network's parameters with PyTorch's names and layout, and its architecture and loss as metadata.</summary>
    /// <typeparam name="T">float (<c>F32</c>) or double (<c>F64</c>).</typeparam>
    /// <param name="network">The network.</param>
    /// <param name="path">The file; replaced atomically.</param>
    /// <remarks>
    /// Each layer names its own tensors (<see cref="ILayer{T}.ExportTorch"/>): <c>{module}.{key}</c> with the parameter's
    /// export shape, its values copied in storage order. Nothing is written that <see cref="Load{T}(string)"/> would refuse:
    /// the model file's checks (registered kinds, finite values, at most 10,000 layers) run first.
    /// </remarks>
    /// <exception cref="NotSupportedException">A layer has no PyTorch form or does not build again from its configuration.</exception>
    /// <exception cref="ArgumentException">A weight or bias is NaN or infinite.</exception>
    /// <exception cref="IOException">The file cannot be written; the message names <paramref name="path"/>.</exception>
    public static void Save<T>(Network<T> network, string path)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(network, nameof(network));
        Preconditions.CheckNotNull(path, nameof(path));
        ModelFile.CheckSavable(network);
        TorchSequential<T> sequence = TorchSequential<T>.Of(network);
        (string Name, Parameter<T> Parameter)[] tensors = [.. sequence.Tensors];
        int size = typeof(T) == typeof(float) ? 4 : 8;
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            [LayersKey] = JsonSerializer.Serialize(network.Layers.Select(l => new[] { l.Kind, l.Configuration.ToString() })),
            [PyTorchKey] = sequence.ToString(),
        };
        if (network.Loss is { } loss)
        {
            metadata[LossKey] = loss.Spec;
        }

        foreach ((string key, string value) in network.Metadata)
        {
            metadata[key] = value; // checked by CheckSavable: never a key of the library's own
        }

        var header = new Dictionary<string, object> { ["__metadata__"] = metadata };
        long offset = 0;
        foreach ((string name, Parameter<T> parameter) in tensors)
        {
            long bytes = (long)parameter.Count * (parameter.IsInteger ? 8 : size);
            header[name] = new Dictionary<string, object>
            {
                ["dtype"] = parameter.IsInteger ? "I64" : DType<T>(),
                ["shape"] = parameter.ExportShape,
                ["data_offsets"] = new[] { offset, offset + bytes },
            };
            offset += bytes;
        }

        byte[] json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        int padded = (json.Length + 7) / 8 * 8; // the header is padded with spaces so that the data starts 8-byte aligned
        AtomicFile.Write(path, (Stream stream) =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
            stream.Write(length);
            stream.Write(json);
            stream.Write(Enumerable.Repeat((byte)' ', padded - json.Length).ToArray());
            foreach ((_, Parameter<T> parameter) in tensors)
            {
                // PyTorch's order: a dense W's storage (column by column, n_in×n_out) is its [out, in] row by row, as it is;
                // a table PyTorch stores the same way round (an embedding's [V, D]) is written row by row.
                T[] values = new T[parameter.Count];
                parameter.CopyToExportOrder(values);
                if (parameter.IsInteger)
                {
                    stream.Write(MemoryMarshal.AsBytes((ReadOnlySpan<long>)[.. values.Select(long.CreateChecked)]));
                }
                else
                {
                    stream.Write(MemoryMarshal.AsBytes((ReadOnlySpan<T>)values)); // little-endian on every platform .NET runs on
                }
            }
        });
    }

    /// <summary>Loads a network saved by <see cref="Save{T}(Network{T}, string)"/>: its architecture and loss from the metadata, then its parameters.</summary>
    /// <typeparam name="T">float or double; a file of the other type is converted.</typeparam>
    /// <param name="path">The file.</param>
    /// <returns>The network.</returns>
    /// <remarks>
    /// Every layer of the metadata is planned, the shapes chained and the values the layers will allocate added up and
    /// checked against the file's data before any layer is built, so that no metadata makes this allocate more than the
    /// file holds.
    /// </remarks>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not valid, or has no architecture metadata (use <see cref="LoadInto{T}(Network{T}, string)"/>).</exception>
    public static Network<T> Load<T>(string path)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckElementType<T>();
        (string name, byte[] bytes, int dataStart, Dictionary<string, TensorEntry> entries, Dictionary<string, string> metadata) = Read(path);
        if (!metadata.TryGetValue(LayersKey, out string? layersJson))
        {
            throw new InvalidDataException($"{name}: no '{LayersKey}' metadata, so the architecture is unknown (a file written by PyTorch?); build the network and use SafeTensors.LoadInto.");
        }

        try
        {
            var described = new List<(string Kind, Arguments Configuration)>();
            using (JsonDocument document = JsonDocument.Parse(layersJson, new JsonDocumentOptions { MaxDepth = 4 }))
            {
                if (document.RootElement.ValueKind != JsonValueKind.Array || document.RootElement.GetArrayLength() is < 1 or > ModelFile.MaxLayers)
                {
                    throw new InvalidDataException($"{name}: '{LayersKey}' is not a list of 1 to {ModelFile.MaxLayers:N0} layers.");
                }

                foreach (JsonElement layer in document.RootElement.EnumerateArray())
                {
                    if (layer.ValueKind != JsonValueKind.Array || layer.GetArrayLength() != 2 || layer.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
                    {
                        throw new InvalidDataException($"{name}: a layer in '{LayersKey}' is not [kind, configuration].");
                    }

                    described.Add((layer[0].GetString()!, Arguments.Parse(layer[1].GetString()!)));
                }
            }

            // Plan every layer first: shapes must chain, and together the layers may not allocate more values than the data holds.
            long values = 0;
            FeatureShape? previous = null;
            foreach ((string kind, Arguments configuration) in described)
            {
                (FeatureShape input, LayerPlan plan) = Registries.Layers.Plan(kind, configuration);
                if (previous is { } produced && !produced.ChainsTo(input))
                {
                    throw new InvalidDataException($"{name}: a {kind} layer takes {input} but the layer before it produces {produced}.");
                }

                previous = plan.Output;
                values = checked(values + plan.Parameters);
            }

            long dataBytes = bytes.Length - dataStart;
            if (values > dataBytes / 4)
            {
                throw new InvalidDataException($"{name}: the architecture metadata describes {values:N0} parameters, more than the {dataBytes:N0} bytes of data hold.");
            }

            var network = new Network<T>(described.Select(d => Registries.Layers.Create<T>(d.Kind, d.Configuration, new Random(0))).ToList());
            if (metadata.TryGetValue(LossKey, out string? loss))
            {
                network.Loss = Registries.Losses.TryCreate(loss, out ILoss? found, out string error) ? found : throw new InvalidDataException($"{name}: the stored loss: {error}");
            }

            Fill(network, name, bytes, dataStart, entries);
            AddMetadata(network, name, metadata);
            return network;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException($"{name}: the architecture metadata is invalid ({e.Message.Split('\n')[0].Split(" (Parameter", StringSplitOptions.None)[0]}).");
        }
    }

    /// <summary>
    /// Loads parameters into a network whose architecture is already known — for a file written by PyTorch for the same
    /// <c>nn.Sequential</c>, whose tensors are named <c>0.weight</c>, <c>0.bias</c>, <c>2.weight</c>, … (the indices
    /// counting the activation, pooling, dropout and flatten modules in between; see <see cref="TorchSequential{T}"/>).
    /// </summary>
    /// <typeparam name="T">float or double; values of the other type are converted.</typeparam>
    /// <param name="network">The network to fill; its parameters are replaced.</param>
    /// <param name="path">The file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is invalid or does not hold exactly the network's tensors with the right shapes; the network is then unchanged.</exception>
    public static void LoadInto<T>(Network<T> network, string path)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(network, nameof(network));
        (string name, byte[] bytes, int dataStart, Dictionary<string, TensorEntry> entries, Dictionary<string, string> metadata) = Read(path);
        Fill(network, name, bytes, dataStart, entries);
        AddMetadata(network, name, metadata);
    }

    /// <summary>
    /// Copies the file's own metadata — every key but <c>format</c> and <c>deeplearning.*</c> — into
    /// <see cref="Network{T}.Metadata"/> (replacing a key the network already has), after checking all of it.
    /// </summary>
    private static void AddMetadata<T>(Network<T> network, string name, Dictionary<string, string> metadata)
        where T : struct, IFloatingPointIeee754<T>
    {
        KeyValuePair<string, string>[] own = [.. metadata.Where(entry => !MetadataRules.IsReserved(entry.Key))];
        if (own.Length > MetadataRules.MaxEntries)
        {
            throw new InvalidDataException($"{name}: {own.Length:N0} metadata entries, more than the {MetadataRules.MaxEntries:N0} a network keeps.");
        }

        foreach ((string key, string value) in own)
        {
            if (MetadataRules.Problem(key, value) is { } problem)
            {
                throw new InvalidDataException($"{name}: the metadata: {problem}.");
            }
        }

        foreach ((string key, string value) in own)
        {
            network.Metadata[key] = value;
        }
    }

    /// <summary>Checks that the file holds exactly the network's tensors with their export shapes, then copies them in (storage order, no reordering).</summary>
    private static void Fill<T>(Network<T> network, string name, byte[] bytes, int dataStart, Dictionary<string, TensorEntry> entries)
        where T : struct, IFloatingPointIeee754<T>
    {
        (string Name, Parameter<T> Parameter)[] expected = [.. TorchSequential<T>.Of(network).Tensors];
        foreach (string unknown in entries.Keys.Except(expected.Select(e => e.Name)))
        {
            throw new InvalidDataException($"{name}: unknown tensor '{unknown}'; this network has {string.Join(", ", expected.Select(e => e.Name))}.");
        }

        var values = new List<(Parameter<T> Parameter, T[] Values)>();
        foreach ((string tensor, Parameter<T> parameter) in expected)
        {
            if (!entries.TryGetValue(tensor, out TensorEntry? entry))
            {
                throw new InvalidDataException($"{name}: tensor '{tensor}' is missing.");
            }

            if (!entry.Shape.SequenceEqual(parameter.ExportShape))
            {
                throw new InvalidDataException($"{name}: tensor '{tensor}' has shape [{string.Join(", ", entry.Shape)}], expected [{string.Join(", ", parameter.ExportShape)}] (PyTorch's layout, [out, in] for a Linear weight).");
            }

            if (entry.IsInteger != parameter.IsInteger)
            {
                throw new InvalidDataException($"{name}: tensor '{tensor}' has dtype {entry.DType}, expected {(parameter.IsInteger ? "I64 (a count)" : "F32 or F64")}.");
            }

            var read = new T[parameter.Count];
            ReadOnlySpan<byte> data = bytes.AsSpan(dataStart + (int)entry.Begin, (int)(entry.End - entry.Begin));
            for (int k = 0; k < read.Length; k++)
            {
                if (entry.IsInteger)
                {
                    long count = BinaryPrimitives.ReadInt64LittleEndian(data[(k * 8)..]);
                    read[k] = count is >= 0 and <= 1L << 53 && T.CreateChecked(count) is var value && long.CreateChecked(value) == count
                        ? value
                        : throw new InvalidDataException(FormattableString.Invariant($"{name}: tensor '{tensor}' holds {count} at element {k}, a count this network cannot hold exactly (0 to {(typeof(T) == typeof(float) ? 1 << 24 : 1L << 53)})."));
                    continue;
                }

                double number = entry.Size == 4 ? BinaryPrimitives.ReadSingleLittleEndian(data[(k * 4)..]) : BinaryPrimitives.ReadDoubleLittleEndian(data[(k * 8)..]);
                if (!double.IsFinite(number) || !T.IsFinite(T.CreateChecked(number)))
                {
                    throw new InvalidDataException(FormattableString.Invariant($"{name}: tensor '{tensor}' holds {number} at element {k}; weights must be finite."));
                }

                read[k] = T.CreateChecked(number);
            }

            values.Add((parameter, read));
        }

        foreach ((Parameter<T> parameter, T[] read) in values)
        {
            parameter.CopyFromExportOrder(read);
        }
    }

    private static (string Name, byte[] Bytes, int DataStart, Dictionary<string, TensorEntry> Entries, Dictionary<string, string> Metadata) Read(string path)
    {
        Preconditions.CheckNotNull(path, nameof(path));
        string name = Path.GetFileName(path);
        byte[] bytes = BoundedFile.ReadAllBytes(path, ModelFile.MaxFileBytes, "a safetensors file");
        if (bytes.Length < 8)
        {
            throw new InvalidDataException($"{name}: truncated: a safetensors file starts with an 8-byte header length.");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes || headerLength > (ulong)(bytes.Length - 8))
        {
            throw new InvalidDataException($"{name}: the header claims {headerLength:N0} bytes; the file holds {bytes.Length - 8:N0} after the length, and headers are at most {MaxHeaderBytes:N0}.");
        }

        int dataStart = 8 + (int)headerLength;
        long dataLength = bytes.Length - dataStart;
        var entries = new Dictionary<string, TensorEntry>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using JsonDocument document = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength), new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{name}: the header is not a JSON object.");
            }

            bool metadataSeen = false;
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    if (metadataSeen)
                    {
                        throw new InvalidDataException($"{name}: the header holds '__metadata__' twice.");
                    }

                    metadataSeen = true;
                    foreach (JsonProperty item in property.Value.EnumerateObject())
                    {
                        if (!metadata.TryAdd(item.Name, item.Value.GetString() ?? string.Empty))
                        {
                            throw new InvalidDataException($"{name}: the metadata holds '{Shorten(item.Name)}' twice.");
                        }
                    }

                    continue;
                }

                if (!entries.TryAdd(property.Name, TensorEntry.Parse(name, property, dataLength)))
                {
                    throw new InvalidDataException($"{name}: the header holds tensor '{Shorten(property.Name)}' twice.");
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or OverflowException or KeyNotFoundException)
        {
            throw new InvalidDataException($"{name}: the header is not valid safetensors JSON ({e.Message.Split('\n')[0]}).");
        }

        // The format's rule: the tensors cover the data exactly, one after another — no overlap, no hole, nothing after the last.
        TensorEntry[] ordered = [.. entries.Values.OrderBy(e => e.Begin).ThenBy(e => e.End)];
        long covered = 0;
        foreach (TensorEntry entry in ordered)
        {
            if (entry.Begin < covered)
            {
                throw new InvalidDataException($"{name}: tensor '{Shorten(entry.Name)}' overlaps the one before it in the data.");
            }

            if (entry.Begin > covered)
            {
                throw new InvalidDataException($"{name}: {entry.Begin - covered:N0} bytes of the data before tensor '{Shorten(entry.Name)}' belong to no tensor.");
            }

            covered = entry.End;
        }

        if (covered != dataLength)
        {
            throw new InvalidDataException($"{name}: {dataLength - covered:N0} bytes after the last tensor belong to no tensor.");
        }

        return (name, bytes, dataStart, entries, metadata);
    }

    private static string DType<T>() => typeof(T) == typeof(float) ? "F32" : "F64";

    /// <summary>A name quoted in a message: its first 60 characters, control characters shown as '?'.</summary>
    private static string Shorten(string text)
    {
        string shown = new([.. text.Select(c => char.IsControl(c) ? '?' : c)]);
        return shown.Length <= 60 ? shown : shown[..57] + "...";
    }

    /// <summary>One tensor of the header, checked against the data it points into.</summary>
    private sealed record TensorEntry(string Name, string DType, int Size, long[] Shape, long Begin, long End)
    {
        public bool IsInteger => DType == "I64";

        public static TensorEntry Parse(string file, JsonProperty property, long dataLength)
        {
            JsonElement value = property.Value;
            string dtype = value.GetProperty("dtype").GetString() ?? string.Empty;
            int size = dtype switch
            {
                "F32" => 4,
                "F64" or "I64" => 8,
                _ => throw new InvalidDataException($"{file}: tensor '{Shorten(property.Name)}' has dtype '{Shorten(dtype)}'; this library reads F32 and F64, and I64 for counts."),
            };
            long[] shape = [.. value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())];
            long[] offsets = [.. value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64())];
            if (shape.Length > 8 || shape.Any(d => d < 0) || offsets.Length != 2)
            {
                throw new InvalidDataException($"{file}: tensor '{property.Name}' has a malformed shape or data_offsets.");
            }

            long count = shape.Aggregate(1L, (product, d) => checked(product * d));
            if (count > Array.MaxLength || offsets[0] < 0 || offsets[0] > offsets[1] || offsets[1] > dataLength || offsets[1] - offsets[0] != checked(count * size))
            {
                throw new InvalidDataException(
                    $"{file}: tensor '{property.Name}' ([{string.Join(", ", shape)}] {dtype}) has data_offsets [{offsets[0]}, {offsets[1]}), which do not hold {count:N0} values inside the {dataLength:N0} bytes of data.");
            }

            return new TensorEntry(property.Name, dtype, size, shape, offsets[0], offsets[1]);
        }
    }
}
