using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;

namespace LossDsl.Generators.Emit.Torch;

/// <summary>
/// C# names for the values of a loss in the generated TorchSharp code: parameters keep their names, labelled nodes
/// use their labels, the others a name derived from their operation (<c>product</c>, <c>sumSpatial</c>…), made
/// unique with a number only where needed.
/// </summary>
internal sealed class TorchNames
{
    private static readonly HashSet<string> Keywords = new(new[]
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
        "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
        "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while", "var", "nameof",
    });

    /// <summary>Members of <c>FusedLossState</c> a hyper-parameter field must not hide.</summary>
    private static readonly HashSet<string> StateMembers = new(new[] { "RequiresGrad", "NeedsBackward", "Shape", "Keep", "Release" });

    private readonly HashSet<string> taken = new(new[]
    {
        "ctx", "vars", "state", "scope", "shape", "device", "ndim", "saved", "result", "gradOutput", "grad_output", "global",
    });

    private readonly string[] names;
    private readonly Dictionary<string, string> gradients = new();

    public TorchNames(TorchPlan plan)
    {
        var graph = plan.Graph;
        foreach (var p in plan.Model.Parameters)
        {
            taken.Add(p.Name);
        }

        names = new string[graph.Count];
        for (var id = 0; id < graph.Count; id++)
        {
            var node = graph[id];
            names[id] = node.Op switch
            {
                Op.Input or Op.Hyper => node.Name,
                Op.Constant => ConstantName(node.Value),
                _ => Fresh(node.Label.Length > 0 ? Sanitize(node.Label) : Derived(graph, node)),
            };
        }
    }

    private TorchNames(TorchNames parent)
    {
        names = parent.names;
        taken = new HashSet<string>(parent.taken);
        gradients = new Dictionary<string, string>(parent.gradients);
    }

    /// <summary>A copy for one generated method: node names are shared, names made up inside the method are its own.</summary>
    public TorchNames Fork() => new(this);

    /// <summary>The variable of node <paramref name="id"/>.</summary>
    public string Of(int id) => names[id];

    /// <summary>The gradient variable of a field, e.g. <c>gradProbs</c>.</summary>
    public string Gradient(string field)
    {
        if (!gradients.TryGetValue(field, out var name))
        {
            name = Fresh("grad" + char.ToUpperInvariant(field[0]) + field.Substring(1));
            gradients[field] = name;
        }

        return name;
    }

    /// <summary>The state field holding a hyper-parameter.</summary>
    public string StateField(string parameter) => StateMembers.Contains(parameter) ? parameter + "_" : parameter;

    /// <summary>A name not used yet, based on <paramref name="stem"/>.</summary>
    public string Fresh(string stem)
    {
        if (Keywords.Contains(stem))
        {
            stem += "_";
        }

        var name = stem;
        for (var n = 2; !taken.Add(name); n++)
        {
            name = stem + n.ToString(CultureInfo.InvariantCulture);
        }

        return name;
    }

    /// <summary>A readable name for a constant: <c>one</c>, <c>half</c>, <c>c1e_05</c>.</summary>
    public static string ConstantName(double value) => value switch
    {
        0 => "zero",
        1 => "one",
        2 => "two",
        -1 => "minusOne",
        -2 => "minusTwo",
        0.5 => "half",
        _ => "c" + Sanitize(value.ToString("R", CultureInfo.InvariantCulture).Replace("-", "m").Replace(".", "_").Replace("+", "")),
    };

    private static string Derived(Graph graph, Node node) => node.Op switch
    {
        Op.Sum or Op.MaxOver or Op.Extent => OpWords.Of(node.Op) + AxesName(node.Reduce),
        Op.Select => (graph[node.Args[0]].Label.Length > 0 ? Sanitize(graph[node.Args[0]].Label) : "selected") + "_" + node.Name,
        _ => OpWords.Of(node.Op),
    };

    private static string AxesName(Axes axes)
    {
        if (axes == Axes.All)
        {
            return "All";
        }

        var text = new StringBuilder();
        if ((axes & Axes.Batch) != 0)
        {
            text.Append("Batch");
        }

        if ((axes & Axes.Class) != 0)
        {
            text.Append("Classes");
        }

        if ((axes & Axes.Spatial) != 0)
        {
            text.Append("Spatial");
        }

        return text.ToString();
    }

    private static string Sanitize(string label)
    {
        var text = new StringBuilder();
        foreach (var ch in label)
        {
            text.Append(char.IsLetterOrDigit(ch) && ch < 128 ? ch : '_');
        }

        var name = text.ToString().Trim('_');
        if (name.Length == 0)
        {
            name = "value";
        }

        return char.IsDigit(name[0]) ? "_" + name : name;
    }
}
