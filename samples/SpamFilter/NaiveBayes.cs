namespace SpamFilter;

/// <summary>
/// The "flat" baseline: a multinomial naive Bayes classifier on hand-made features, the words of a mail and how often
/// each occurs. Training counts; classifying adds logarithms.
/// </summary>
/// <remarks>
/// <para>
/// <b>The features</b> (<see cref="Words"/>): lower-cased runs of 2 to 30 ASCII letters. Someone decided that a mail is a
/// bag of words — that order, punctuation, capitals, HTML tags and everything else do not matter. That decision is the
/// hand-made part.
/// </para>
/// <para>
/// <b>Training</b>: count every word in the spam and in the ham of the training set. With add-one (Laplace) smoothing
/// over the vocabulary V of the training set, p(w | spam) = (count of w in spam + 1) / (words in spam + |V|), the same for
/// ham, and p(spam) is the share of spam among the training mails.
/// </para>
/// <para>
/// <b>Classifying</b> a mail with word counts n_w: "naive" because it assumes every word is drawn independently, so
/// ln p(spam | mail) − ln p(ham | mail) = ln p(spam) − ln p(ham) + Σ_w n_w·(ln p(w | spam) − ln p(w | ham)); spam when
/// that is above 0. Words never seen in training are skipped.
/// </para>
/// </remarks>
internal sealed class NaiveBayes
{
    private readonly Dictionary<string, double> _weights = new(StringComparer.Ordinal);

    /// <summary>Counts the words of the training mails.</summary>
    public NaiveBayes(IReadOnlyList<Mail> training)
    {
        var spam = new Dictionary<string, int>(StringComparer.Ordinal);
        var ham = new Dictionary<string, int>(StringComparer.Ordinal);
        long spamWords = 0, hamWords = 0;
        int spamMails = 0;
        foreach (Mail mail in training)
        {
            Dictionary<string, int> counts = mail.IsSpam ? spam : ham;
            spamMails += mail.IsSpam ? 1 : 0;
            foreach (string word in Words(mail.Text))
            {
                counts[word] = counts.GetValueOrDefault(word) + 1;
                if (mail.IsSpam)
                {
                    spamWords++;
                }
                else
                {
                    hamWords++;
                }
            }
        }

        // Step 1, the prior: ln p(spam) − ln p(ham).
        Prior = Math.Log(spamMails) - Math.Log(training.Count - spamMails);

        // Step 2, each word's weight: ln p(w | spam) − ln p(w | ham), both with add-one smoothing over the vocabulary.
        var vocabulary = new HashSet<string>(spam.Keys.Concat(ham.Keys), StringComparer.Ordinal);
        foreach (string word in vocabulary)
        {
            double inSpam = (spam.GetValueOrDefault(word) + 1.0) / (spamWords + vocabulary.Count);
            double inHam = (ham.GetValueOrDefault(word) + 1.0) / (hamWords + vocabulary.Count);
            _weights[word] = Math.Log(inSpam) - Math.Log(inHam);
        }
    }

    /// <summary>ln p(spam) − ln p(ham) over the training mails.</summary>
    public double Prior { get; }

    /// <summary>The words of the training set.</summary>
    public int VocabularySize => _weights.Count;

    /// <summary>Step 3: ln p(spam | mail) − ln p(ham | mail), the prior plus the weight of every word occurrence.</summary>
    public double Score(Mail mail) => Prior + Words(mail.Text).Sum(word => _weights.GetValueOrDefault(word));

    /// <summary>Whether the mail is more likely spam than ham.</summary>
    public bool IsSpam(Mail mail) => Score(mail) > 0;

    /// <summary>The words with the strongest weights each way: what the counts say spam and ham look like.</summary>
    public (string Word, double Weight)[] Strongest(int count, bool spam)
        => [.. (spam ? _weights.OrderByDescending(p => p.Value) : _weights.OrderBy(p => p.Value)).ThenBy(p => p.Key, StringComparer.Ordinal).Take(count).Select(p => (p.Key, p.Value))];

    /// <summary>The hand-made features: lower-cased runs of 2 to 30 ASCII letters, in order.</summary>
    public static IEnumerable<string> Words(string text)
    {
        int start = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            bool letter = i < text.Length && char.IsAsciiLetter(text[i]);
            if (letter && start < 0)
            {
                start = i;
            }
            else if (!letter && start >= 0)
            {
                if (i - start is >= 2 and <= 30)
                {
                    yield return text[start..i].ToLowerInvariant();
                }

                start = -1;
            }
        }
    }
}
