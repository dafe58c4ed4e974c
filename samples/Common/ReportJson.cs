using System.Text.Json;
using System.Text.Json.Serialization;

namespace Samples.Common;

/// <summary>How the samples write their --report: indented JSON, camelCase names, NaN and infinities as strings.</summary>
internal static class ReportJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The value as the samples' report JSON.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
