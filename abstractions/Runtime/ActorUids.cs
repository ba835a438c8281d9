namespace Xoscar.Orleans.Runtime;

/// <summary>
/// What an actor uid may be: 1 to <see cref="ActorId.MaxUidLength"/> characters, none of them a control character or
/// a line break (uids are written in log lines and error messages). Checked by the façade and by the pool, for
/// requests from anywhere.
/// </summary>
internal static class ActorUids
{
    /// <summary>Returns <paramref name="uid"/> if it is a valid uid.</summary>
    /// <exception cref="ArgumentException">It is not; names <paramref name="argument"/> and says what is wrong.</exception>
    public static string Check(string? uid, string argument)
    {
        if (uid is null) throw new ArgumentNullException(argument, "An actor uid is needed.");
        var unprintable = FirstUnprintable(uid);
        var problem = uid.Length == 0 ? "is empty"
            : uid.Length > ActorId.MaxUidLength ? $"has {uid.Length} characters; at most {ActorId.MaxUidLength} are allowed"
            : unprintable >= 0 ? $"has a control character (U+{(int)uid[unprintable]:X4}) at position {unprintable}"
            : null;
        return problem is null ? uid : throw new ArgumentException($"Actor uid {PrintableText.Quote(uid)} {problem}.", argument);
    }

    private static int FirstUnprintable(string uid)
    {
        for (var i = 0; i < uid.Length; i++)
        {
            if (PrintableText.IsUnprintable(uid[i])) return i;
        }

        return -1;
    }
}
