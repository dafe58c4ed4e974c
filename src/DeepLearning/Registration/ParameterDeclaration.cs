namespace DeepLearning;

/// <summary>One declared parameter of a registry entry: <c>alpha = 0.01</c> (a default), <c>outputs</c> (required) or <c>[seed]</c> (optional, no default).</summary>
internal sealed record ParameterDeclaration(string Name, string? Default, bool Optional)
{
    public static IReadOnlyList<ParameterDeclaration> ParseAll(string declarations)
    {
        var result = new List<ParameterDeclaration>();
        foreach (string part in (declarations ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            string name = (equals < 0 ? part : part[..equals]).Trim();
            bool optional = name.StartsWith('[') && name.EndsWith(']');
            name = optional ? name[1..^1].Trim() : name;
            if (!Arguments.IsKey(name) || result.Any(p => p.Name == name))
            {
                throw new ArgumentException($"Parameter declaration '{part}' in '{declarations}': a parameter is an unrepeated name of letters, digits and '_', then optionally '= default'.", nameof(declarations));
            }

            result.Add(new ParameterDeclaration(name, equals < 0 ? null : part[(equals + 1)..].Trim(), optional));
        }

        return result;
    }
}
