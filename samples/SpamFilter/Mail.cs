using System.Text;

namespace SpamFilter;

/// <summary>
/// One mail of the corpus: its folder (easy-ham-1, easy-ham-2, hard-ham-1, spam-1 or spam-2), its file name, and the text
/// every model reads — the subject line and the body, without the other headers.
/// </summary>
/// <remarks>
/// The headers are left out because they give the answer away for reasons that have nothing to do with spam: the
/// corpus's ham and spam were collected through different servers at different times, so a model could learn the
/// Received lines and dates instead of the messages. The bytes are read as Latin-1, one character per byte, so the
/// network on bytes sees exactly the file's bytes and nothing is lost to a decoding error.
/// </remarks>
internal sealed record Mail(string Folder, string Name, string Text)
{
    /// <summary>Whether the corpus files it as spam.</summary>
    public bool IsSpam => Folder.StartsWith("spam", StringComparison.Ordinal);

    /// <summary>The subject line, for showing a mail in one line.</summary>
    public string Subject => Text.AsSpan().IndexOf('\n') is var end and >= 0 ? Text[..end] : Text;

    /// <summary>Reads a raw mail: the Subject header's value (with its folded lines), a line feed, and the body.</summary>
    public static Mail Parse(string folder, string name, ReadOnlySpan<byte> bytes)
    {
        string raw = Encoding.Latin1.GetString(bytes).Replace("\r\n", "\n", StringComparison.Ordinal);
        int split = raw.IndexOf("\n\n", StringComparison.Ordinal);
        string headers = split < 0 ? raw : raw[..split], body = split < 0 ? string.Empty : raw[(split + 2)..];
        string subject = string.Empty;
        string[] lines = headers.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("Subject:", StringComparison.OrdinalIgnoreCase))
            {
                var value = new StringBuilder(lines[i]["Subject:".Length..].Trim());
                for (int j = i + 1; j < lines.Length && lines[j].Length > 0 && lines[j][0] is ' ' or '\t'; j++)
                {
                    value.Append(' ').Append(lines[j].Trim());
                }

                subject = value.ToString();
                break;
            }
        }

        return new Mail(folder, name, subject + "\n" + body);
    }
}
