namespace DeepLearning.Data;

/// <summary>How far the download of one file has come.</summary>
/// <param name="File">The file being downloaded.</param>
/// <param name="Source">Where it comes from.</param>
/// <param name="BytesReceived">The bytes received so far.</param>
/// <param name="TotalBytes">The file's size when the server announced it, else null.</param>
public readonly record struct DownloadProgress(string File, Uri Source, long BytesReceived, long? TotalBytes);
