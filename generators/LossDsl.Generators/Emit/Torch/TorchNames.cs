using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;
using LossDsl.Generators.Passes;

namespace LossDsl.Generators.Emit.Torch;

/// <summary>
/// C# names for the values of a loss in the generated TorchSharp code: parameters keep their names, labelled nodes
/// use their labels, the others a name derived from their operation (<c>product</c>, <c>sumSpatial</c>…), made
/// unique with a number only where needed.
/// </summary>
internal sealed class TorchNames
{
    /// <summary>
    /// Members a hyper-parameter's state field must not hide: those of <c>FusedLossState</c> and of <c>object</c>
    /// (hiding one would be a warning in the user's build).
    /// </summary>
    private static readonly string[] InheritedStateMembers =
    {
        "RequiresGrad", "NeedsBackward", "OnCpuPasses", "Shape", "Keep", "Release", "Apply",
        "Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone", "Finalize", "ReferenceEquals",
    };

    private readonly NameScope taken;
    private readonly string[] names;
    private readonly string[] stems;
    private readonly Dictionary<string, string> gradients = new();
    private readonly Dictionary<string, string> stateFields;

    /// <summary>
    /// Every name the TorchSharp code introduces is picked here, after the user's: the parameters' names and the
    /// members of the declaring type that a generated member could meet (<see cref="LossModel.ReservedNames"/>), so
    /// a parameter called <c>state</c> or a member called <c>FTorchState</c> moves the generated name, not the user's.
    /// </summary>
    public TorchNames(TorchPlan plan, string cpuProgram)
    {
        var graph = plan.Graph;
        var model = plan.Model;

        // The CPU program class is named in the forward: no local may hide it.
        taken = new NameScope(model.Parameters.Select(p => p.Name).Concat(model.ReservedNames).Concat(new[] { cpuProgram }));

        // Types first: a local of the same name would hide a nested class where the code names it.
        StateClass = taken.Fresh(model.Name + "TorchState");
        FunctionClass = taken.Fresh(model.Name + "TorchFunction");

        // The fixed locals and parameters of the generated methods (one name each, whichever method declares it).
        Context = taken.Fresh("ctx");
        Vars = taken.Fresh("vars");
        State = taken.Fresh("state");
        Scope = taken.Fresh("scope");
        Shape = taken.Fresh("shape");
        Device = taken.Fresh("device");
        Ndim = taken.Fresh("ndim");
        Saved = taken.Fresh("saved");
        Result = taken.Fresh("result");
        GradOutput = taken.Fresh("gradOutput");
        GradOutputParameter = taken.Fresh("grad_output");
        Passes = taken.Fresh("passes");

        // The state's fields are members of the state class: they avoid its inherited members and its own name.
        var fieldScope = new NameScope(model.Parameters.Select(p => p.Name).Concat(InheritedStateMembers).Concat(new[] { StateClass }));
        stateFields = new Dictionary<string, string>();
        foreach (var p in model.Parameters.Where(p => p.Kind != ParameterKind.Field))
        {
            stateFields[p.Name] = System.Array.IndexOf(InheritedStateMembers, p.Name) >= 0 || p.Name == StateClass
                ? fieldScope.Fresh(p.Name + "_")
                : Identifiers.Escape(p.Name);
        }

        names = new string[graph.Count];
        stems = new string[graph.Count];
        for (var id = 0; id < graph.Count; id++)
        {
            var node = graph[id];
            stems[id] = node.Op switch
            {
                Op.Input or Op.Hyper => node.Name,
                Op.Constant => ConstantName(node.Value),
                _ => taken.Fresh(node.Label.Length > 0 ? Sanitize(node.Label) : Derived(graph, node)),
            };
            names[id] = node.Op is Op.Input or Op.Hyper ? Identifiers.Escape(node.Name) : stems[id];
        }
    }

    private TorchNames(TorchNames parent)
    {
        names = parent.names;
        stems = parent.stems;
        stateFields = parent.stateFields;
        taken = parent.taken.Fork();
        gradients = new Dictionary<string, string>(parent.gradients);
        StateClass = parent.StateClass;
        FunctionClass = parent.FunctionClass;
        Context = parent.Context;
        Vars = parent.Vars;
        State = parent.State;
        Scope = parent.Scope;
        Shape = parent.Shape;
        Device = parent.Device;
        Ndim = parent.Ndim;
        Saved = parent.Saved;
        Result = parent.Result;
        GradOutput = parent.GradOutput;
        GradOutputParameter = parent.GradOutputParameter;
        Passes = parent.Passes;
    }

    /// <summary>The nested class holding one call's hyper-parameters, e.g. <c>TverskyTorchState</c>.</summary>
    public string StateClass { get; }

    /// <summary>The nested autograd function class, e.g. <c>TverskyTorchFunction</c>.</summary>
    public string FunctionClass { get; }

    /// <summary>The autograd context parameter of forward and backward.</summary>
    public string Context { get; }

    /// <summary>The forward's <c>params object[]</c> parameter.</summary>
    public string Vars { get; }

    /// <summary>The local holding the call's state object.</summary>
    public string State { get; }

    /// <summary>The dispose scope of forward and backward.</summary>
    public string Scope { get; }

    /// <summary>The fields' shape (<c>long[]</c>).</summary>
    public string Shape { get; }

    /// <summary>The fields' device.</summary>
    public string Device { get; }

    /// <summary>The fields' rank (<c>long</c>).</summary>
    public string Ndim { get; }

    /// <summary>The tensors saved for backward, in the backward.</summary>
    public string Saved { get; }

    /// <summary>The forward's result.</summary>
    public string Result { get; }

    /// <summary>The incoming gradient, owned by the backward.</summary>
    public string GradOutput { get; }

    /// <summary>The backward's parameter that receives the incoming gradient.</summary>
    public string GradOutputParameter { get; }

    /// <summary>The forward's pass-path call (<c>LossDsl.Torch.CpuPassCall</c>), null when the ATen composition runs.</summary>
    public string Passes { get; }

    /// <summary>A copy for one generated method: node names are shared, names made up inside the method are its own.</summary>
    public TorchNames Fork() => new(this);

    /// <summary>The variable of node <paramref name="id"/>, as C# source (a keyword-named parameter with its <c>@</c>).</summary>
    public string Of(int id) => names[id];

    /// <summary>The name of node <paramref name="id"/> without an <c>@</c>, to build other names from.</summary>
    public string Stem(int id) => stems[id];

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

    /// <summary>The state field holding a hyper-parameter, as C# source.</summary>
    public string StateField(string parameter) => stateFields[parameter];

    /// <summary>A name not used yet, based on <paramref name="stem"/>.</summary>
    public string Fresh(string stem) => taken.Fresh(stem);

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
