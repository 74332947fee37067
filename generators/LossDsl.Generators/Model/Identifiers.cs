using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;

namespace LossDsl.Generators.Model;

/// <summary>
/// The one place where names meet C# source. The model keeps every user name as the compiler spells it without its
/// <c>@</c> (<c>IParameterSymbol.Name</c> of <c>@default</c> is <c>default</c>); every emitter writes a user name back
/// through <see cref="Escape"/>, and picks each name it introduces itself with a <see cref="NameScope"/> that knows
/// the user's names, so generated names cannot collide with them whatever the user called things.
/// </summary>
internal static class Identifiers
{
    /// <summary>
    /// <paramref name="name"/> as it must be written in C# source: <c>@</c> in front of a reserved keyword
    /// (<c>default</c> → <c>@default</c>), unchanged otherwise. Contextual keywords (<c>var</c>, <c>nameof</c>,
    /// <c>record</c>…) are identifiers wherever a generated file uses a name, so they stay as they are.
    /// </summary>
    public static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}

/// <summary>
/// Names in use in one C# scope (a method body, a class), seeded with the user's names; <see cref="Fresh"/> hands
/// out names that are neither a user name nor one handed out before. Comparison is ordinal (C# is case-sensitive).
/// </summary>
internal sealed class NameScope
{
    private readonly HashSet<string> taken;

    /// <summary>
    /// For each stem, the number after the last one <see cref="Fresh"/> handed out: every smaller one is taken, and names
    /// are never freed, so the search starts there (a loss with 3,000 sums asks for <c>plus</c> 3,000 times: counting
    /// from 2 each time was quadratic).
    /// </summary>
    private readonly Dictionary<string, int> next;

    public NameScope(IEnumerable<string> userNames)
    {
        taken = new HashSet<string>(userNames, System.StringComparer.Ordinal);
        next = new Dictionary<string, int>(System.StringComparer.Ordinal);
    }

    private NameScope(NameScope parent)
    {
        taken = new HashSet<string>(parent.taken, System.StringComparer.Ordinal);
        next = new Dictionary<string, int>(parent.next, System.StringComparer.Ordinal);
    }

    /// <summary>A copy for a nested scope: names taken so far stay taken, names taken later are its own.</summary>
    public NameScope Fork() => new(this);

    /// <summary>Marks <paramref name="name"/> as used (a user's name met late); false when it already was.</summary>
    public bool Take(string name) => taken.Add(name);

    /// <summary>Whether <paramref name="name"/> is in use.</summary>
    public bool IsTaken(string name) => taken.Contains(name);

    /// <summary>
    /// <paramref name="stem"/>, or <paramref name="stem"/> followed by the smallest number from 2 on, that is not in
    /// use; the result is taken. A reserved keyword gets a trailing <c>_</c> first, so the result never needs an <c>@</c>;
    /// so do <c>var</c> and <c>nameof</c>, whose meaning a local of that name would change for a reader.
    /// </summary>
    public string Fresh(string stem)
    {
        if (SyntaxFacts.GetKeywordKind(stem) != SyntaxKind.None || stem is "var" or "nameof")
        {
            stem += "_";
        }

        if (taken.Add(stem))
        {
            return stem;
        }

        next.TryGetValue(stem, out var n);
        for (n = System.Math.Max(n, 2); ; n++)
        {
            var name = stem + n.ToString(CultureInfo.InvariantCulture);
            if (taken.Add(name))
            {
                next[stem] = n + 1;
                return name;
            }
        }
    }
}
