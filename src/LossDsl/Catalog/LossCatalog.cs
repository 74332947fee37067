using System;
using System.Collections.Generic;
using System.Linq;

namespace LossDsl;

/// <summary>
/// Every generated loss of every loaded assembly. Generated code registers its <see cref="LossInfo"/> from a module
/// initializer, so a loss is listed as soon as its assembly is loaded.
/// </summary>
public static class LossCatalog
{
    private static readonly object Gate = new();
    private static readonly Dictionary<string, LossInfo> ByFullName = new(StringComparer.Ordinal);

    /// <summary>Adds a loss; called by generated code. Registering the same full name again replaces the entry.</summary>
    public static void Register(LossInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        lock (Gate)
        {
            ByFullName[info.FullName] = info;
        }
    }

    /// <summary>All registered losses, ordered by full name.</summary>
    public static IReadOnlyList<LossInfo> All
    {
        get
        {
            lock (Gate)
            {
                return ByFullName.Values.OrderBy(i => i.FullName, StringComparer.Ordinal).ToArray();
            }
        }
    }

    /// <summary>
    /// Finds a loss by full name (<c>Namespace.Type.Name</c>) or, when that is unambiguous, by its short name.
    /// </summary>
    public static bool TryGet(string name, out LossInfo info)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (Gate)
        {
            if (ByFullName.TryGetValue(name, out info!))
            {
                return true;
            }

            var matches = ByFullName.Values.Where(i => i.Name == name).Take(2).ToArray();
            info = matches.Length == 1 ? matches[0] : null!;
            return matches.Length == 1;
        }
    }
}
