using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;

namespace LossDsl.Generators.Emit.Cpu;

/// <summary>
/// Every identifier of one generated CPU program, collision-free by construction: the user's names (parameters,
/// locals) are taken first, then each name the generator introduces (values, loop variables, fields, the type
/// parameter) is made unique against all of them, and every identifier is written through <see cref="Escape"/> so a
/// keyword stays a verbatim identifier (<c>@default</c>).
/// </summary>
internal sealed class CpuNames
{
    /// <summary>Members of <c>FusedProgram&lt;T&gt;</c> and <c>object</c>: a value of the same name would hide them.</summary>
    private static readonly string[] BaseMembers =
    {
        "Shape", "ItemLength", "ItemCount", "BatchesPerItem", "Run", "Execute", "Field", "Gradient", "WantsGradient", "At",
        "ItemRange", "RunPass", "Combine", "CombineScalar", "CombineMax", "CombineMaxScalar", "Small",
        "PerPosition", "Extent", "ClearGradient", "Width", "ClassSlots", "TileSlots", "Slot", "TileVectors", "TileLength", "VectorsIn", "Keep", "Kept", "Load", "Store", "AddInto", "MaxInto", "ForSum",
        "ForMax", "SumLanes", "MaxLanes", "Broadcast", "Exp", "Log", "Sqrt", "Abs", "Min", "Max", "Sigmoid", "Pow", "Sign",
        "Step", "GreaterOrEqual", "Equals", "GetHashCode", "GetType", "ToString", "MemberwiseClone",
        "Finalize", "ReferenceEquals",
    };

    private readonly HashSet<string> used = new(StringComparer.Ordinal);
    private readonly string[] nodes;
    private readonly Dictionary<string, string> classLists = new(StringComparer.Ordinal);

    public CpuNames(Graph graph, LossModel model)
    {
        foreach (var member in BaseMembers)
        {
            used.Add(member);
        }

        // The user's own names are taken first: the generated ones go around them.
        foreach (var parameter in model.Parameters)
        {
            used.Add(parameter.Name);
        }

        used.Add(model.Name);

        // The declaring type's members that contain the loss's name: the program class must not meet one of them.
        foreach (var reserved in model.ReservedNames)
        {
            used.Add(reserved);
        }

        TypeParameter = Fresh("T");
        ProgramClass = Fresh(model.Name + "CpuProgram");

        nodes = new string[graph.Count];
        var parameterNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in model.Parameters)
        {
            // A parameter that would hide a member of the base class is stored under another name.
            parameterNames[parameter.Name] = BaseMembers.Contains(parameter.Name) || parameter.Name == TypeParameter
                ? Fresh(parameter.Name + "Value")
                : Escape(parameter.Name);
            if (parameter.Kind == ParameterKind.ClassList)
            {
                classLists[parameter.Name] = parameterNames[parameter.Name];
            }
        }

        for (var id = 0; id < graph.Count; id++)
        {
            var node = graph[id];
            nodes[id] = node.Op is Op.Input or Op.Hyper && parameterNames.TryGetValue(node.Name, out var declared)
                ? declared
                : Fresh(Stem(node, id));
        }
    }

    private CpuNames(CpuNames parent)
    {
        used = new HashSet<string>(parent.used, StringComparer.Ordinal);
        nodes = parent.nodes;
        classLists = parent.classLists;
        TypeParameter = parent.TypeParameter;
        ProgramClass = parent.ProgramClass;
    }

    /// <summary>A scope holding only the loss's parameter names (for the locals of the public entry points).</summary>
    public static CpuNames ForParameters(LossModel model) => new(model.Parameters.Select(p => p.Name));

    private CpuNames(IEnumerable<string> taken)
    {
        used = new HashSet<string>(taken, StringComparer.Ordinal);
        nodes = Array.Empty<string>();
        TypeParameter = "";
        ProgramClass = "";
    }

    /// <summary>
    /// A scope for the locals of one method: its names avoid every name taken so far, and names taken in it do not
    /// affect sibling scopes (every pass method can have its own <c>b</c>).
    /// </summary>
    public CpuNames Scope() => new(this);

    /// <summary>The element type parameter of the program and the entry points.</summary>
    public string TypeParameter { get; }

    /// <summary>The nested program class.</summary>
    public string ProgramClass { get; }

    /// <summary>The variable of node <paramref name="id"/>.</summary>
    public string this[int id] => nodes[id];

    /// <summary>The program's field holding class list <paramref name="parameter"/>.</summary>
    public string ClassList(string parameter) => classLists[parameter];

    /// <summary>A new identifier, <paramref name="preferred"/> unless that is taken (then preferred2, preferred3, …).</summary>
    public string Fresh(string preferred)
    {
        var name = preferred;
        for (var i = 2; !used.Add(name); i++)
        {
            name = preferred + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Escape(name);
    }

    /// <summary>An identifier as C# source (<see cref="Identifiers.Escape"/>: a keyword becomes verbatim).</summary>
    public static string Escape(string name) => Identifiers.Escape(name);

    private static string Stem(Node node, int id)
    {
        var label = Sanitize(node.Label);
        return label.Length > 0 ? label : OpWords.Of(node.Op) + id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Sanitize(string label)
    {
        var text = new StringBuilder();
        foreach (var ch in label)
        {
            if (char.IsLetterOrDigit(ch) || ch == '_')
            {
                text.Append(ch);
            }
            else if (ch == '∂')
            {
                text.Append('d');
            }
        }

        if (text.Length > 0 && char.IsDigit(text[0]))
        {
            text.Insert(0, '_');
        }

        return text.ToString();
    }
}
