/// The F# front end: a quotation of a lambda over Field, int[] and numeric parameters, walked into the IR through
/// LossGraphBuilder, the same builder (shape inference, folding, sharing) the C# front end uses, with the same
/// mapping of operators and intrinsics, so the same formula gives the same graph and the same generated code.
module internal LossDsl.FSharp.QuotationCompiler

open System
open System.Reflection
open Microsoft.FSharp.Quotations
open Microsoft.FSharp.Quotations.Patterns
open Microsoft.FSharp.Quotations.DerivedPatterns
open Microsoft.FSharp.Quotations.ExprShape
open LossDsl
open LossDsl.Generators

/// What a parameter of the quotation's lambda is.
type ParameterKind =
    | FieldParameter
    | ClassListParameter
    /// A hyper-parameter of this C# type ("double", "float" or "int").
    | HyperParameter of string

type Parameter = { Name: string; Kind: ParameterKind }

/// A quotation translated to a forward graph.
type Translated =
    { Builder: LossGraphBuilder
      Result: int
      /// In the lambda's order.
      Parameters: Parameter list
      /// The forward graph's text (keys the caches).
      Graph: string }

/// Parameters as the generated signature lists them: the fields first, then the others, each in the lambda's order
/// (so the generated CPU entry is (fields, gradients, rest) whatever the lambda's order).
let declared (parameters: Parameter list) =
    let fields, rest = parameters |> List.partition (fun p -> p.Kind = FieldParameter)
    fields @ rest

let describe (p: Parameter) =
    match p.Kind with
    | FieldParameter -> "Field " + p.Name
    | ClassListParameter -> "int[] " + p.Name
    | HyperParameter t -> t + " " + p.Name

type private Binding =
    | Node of int
    | ClassList of string

let private branchless = "a loss has no branches: use min, max, clamp or abs, or multiply by a mask Field"

let private fail id (at: Expr) (args: obj list) : 'T =
    LossCompileException.Raise(id, SourceText.position at, List.toArray args)

let private unsupported (at: Expr) (construct: string) (instead: string) : 'T = fail "LD0001" at [ construct; instead ]

let private lowerFirst (name: string) =
    if name.Length = 0 then name else string (Char.ToLowerInvariant name.[0]) + name.Substring 1

let private isNumeric (t: Type) =
    t = typeof<float> || t = typeof<float32> || t = typeof<int> || t = typeof<int64> || t = typeof<int16>
    || t = typeof<sbyte> || t = typeof<byte> || t = typeof<uint16> || t = typeof<uint32> || t = typeof<uint64>

let private isIntegral (t: Type) = isNumeric t && t <> typeof<float> && t <> typeof<float32>

let private dslModule = nonNull (typeof<LossCompileException>.Assembly.GetType("LossDsl.FSharp.Dsl"))

/// The forward graph of a [Loss] compiled by the C# generator (a built-in), from its NameInfo.
let private storedGraph (m: MethodInfo) =
    match (nonNull m.DeclaringType).GetProperty(m.Name + "Info", BindingFlags.Public ||| BindingFlags.Static) with
    | null -> None
    | p ->
        match p.GetValue null with
        | :? LossInfo as info -> Some info.Graph
        | _ -> None

/// Describes a construct as the generator's LD0001 does (its name, what to write instead).
let rec private containsLoop (expr: Expr) =
    match expr with
    | WhileLoop _ | ForIntegerRangeLoop _ -> true
    | ShapeVar _ -> false
    | ShapeLambda (_, body) -> containsLoop body
    | ShapeCombination (_, args) -> List.exists containsLoop args

let rec private describeUnsupported (expr: Expr) =
    let text = SourceText.snippet expr
    match expr with
    // `a; b`: the statement is what a loss cannot have.
    | Sequential (first, _) -> describeUnsupported first
    | _ when containsLoop expr -> $"The loop '%s{text}'", "reductions replace loops: write sum, mean, sumSpatial, sumClasses or sumBatch"
    | WhileLoop _ | ForIntegerRangeLoop _ -> $"The loop '%s{text}'", "reductions replace loops: write sum, mean, sumSpatial, sumClasses or sumBatch"
    | IfThenElse _ -> $"The conditional expression '%s{text}'", branchless
    | Lambda _ | LetRecursive _ -> $"The function '%s{text}'", "write the expression inline, or compile it as another loss and splice it with %"
    | VarSet _ | PropertySet _ | FieldSet _ -> $"The assignment '%s{text}'", "values cannot change: declare a new let binding for each intermediate value"
    | NewObject _ | NewArray _ | NewRecord _ | NewUnionCase _ | NewDelegate _ | DefaultValue _ ->
        $"Creating an object ('%s{text}')", "values come from parameters and LossDsl.FSharp functions; pass data in as Field or int[] parameters"
    | PropertyGet _ | FieldGet _ -> $"The member access '%s{text}'", "only parameters, let bindings, constants and LossDsl.FSharp functions can be used; pass the value in as a hyper-parameter"
    | NewTuple _ | TupleGet _ -> $"The tuple '%s{text}'", "declare one let binding per value"
    | Value _ -> $"The literal '%s{text}'", "use numeric literals"
    | Coerce _ | TypeTest _ -> $"The conversion '%s{text}'", "use numbers, Field and Scalar values without casts to other types"
    | TryWith _ | TryFinally _ -> $"The expression '%s{text}'", "a loss cannot fail at run time: check the inputs before calling it"
    | _ -> $"The expression '%s{text}'", "a loss is let bindings and one result of arithmetic on Field, Scalar and numbers, LossDsl.FSharp functions and loss calls"

type private Translator(builder: LossGraphBuilder) =
    /// Methods being inlined, outermost first, to report recursion (LD0007).
    let mutable stack : MethodBase list = []

    /// Translates an expression. F# quotations carry a source range on some nodes only (the quotation itself, calls
    /// of [<ReflectedDefinition>] functions…): an error without a position gets the innermost enclosing one.
    member this.Translate(expr: Expr, env: Map<Var, Binding>, prefix: string) : int =
        let position = SourceText.position expr
        if position = "" then this.TranslateNode(expr, env, prefix)
        else
            try this.TranslateNode(expr, env, prefix)
            with :? LossCompileException as e when e.Position = "" -> raise (LossCompileException(e.Id, e.Diagnostic, position))

    member private this.TranslateNode(expr: Expr, env: Map<Var, Binding>, prefix: string) : int =
        let classListIn (target: Expr option) =
            match target with
            | Some (Var v) -> (match env.TryFind v with Some (ClassList name) -> Some name | _ -> None)
            | _ -> None
        match expr with
        | PropertyGet (target, _, _) | Call (target, _, _) when (classListIn target).IsSome ->
            let name = (classListIn target).Value
            unsupported expr $"Using the class list '%s{name}' as a value" $"pass it directly to select field %s{name} or to a loss that takes an int[]"
        | Value (v, t) when isNumeric t -> builder.Constant(Convert.ToDouble(v, Globalization.CultureInfo.InvariantCulture))
        | Var v ->
            match env.TryFind v with
            | Some (Node id) -> id
            | Some (ClassList name) ->
                unsupported expr $"Using the class list '%s{name}' as a value" $"pass it directly to select field %s{name} or to a loss that takes an int[]"
            | None -> let c, i = describeUnsupported expr in unsupported expr c i
        | Let (v, value, body) ->
            if v.IsMutable then
                unsupported expr $"The assignment '%s{SourceText.snippet expr}'" "values cannot change: declare a new let binding for each intermediate value"
            match value with
            | Var source when (match env.TryFind source with Some (ClassList _) -> true | _ -> false) ->
                this.Translate(body, env.Add(v, env.[source]), prefix)
            | _ ->
                let id = this.Translate(value, env, prefix)
                builder.Label(id, prefix + v.Name)
                this.Translate(body, env.Add(v, Node id), prefix)
        | Call (None, m, args) -> this.Call(expr, m, args, env, prefix)
        | Application _ -> this.Apply(expr, env, prefix)
        | _ -> let c, i = describeUnsupported expr in unsupported expr c i

    /// Adds a node; a shape error becomes LD0002 at the construct.
    member private _.Add(at: Expr, op: string, args: int list, ?classList: string) =
        try builder.Apply(op, List.toArray args, defaultArg classList "")
        with :? LossShapeException as e -> fail "LD0002" at [ e.Message ]

    member private this.Call(expr: Expr, m: MethodInfo, args: Expr list, env, prefix) : int =
        let arg i = this.Translate(args.[i], env, prefix)
        let declaring = nonNull m.DeclaringType
        if declaring.FullName = "Microsoft.FSharp.Core.Operators" then
            match m.Name, args with
            | ("op_Addition" | "op_Subtraction" | "op_Multiply" | "op_Division") as name, [ a; b ] ->
                if name = "op_Division" && isIntegral expr.Type then
                    unsupported expr $"The integer division '%s{SourceText.snippet expr}'" "convert one side to float first, e.g. float n / 2.0, so that the generated code divides the same way"
                let op = match name with "op_Addition" -> "Add" | "op_Subtraction" -> "Subtract" | "op_Multiply" -> "Multiply" | _ -> "Divide"
                let l = this.Translate(a, env, prefix)
                let r = this.Translate(b, env, prefix)
                this.Add(expr, op, [ l; r ])
            | "op_UnaryNegation", [ a ] -> this.Add(expr, "Negate", [ this.Translate(a, env, prefix) ])
            | "op_UnaryPlus", [ a ] -> this.Translate(a, env, prefix)
            // Numeric widening (float 1e-5f, float n) does not change the value the IR computes in.
            | ("ToDouble" | "ToSingle"), [ a ] when isNumeric a.Type -> this.Translate(a, env, prefix)
            | _ -> this.UnsupportedCall(expr, m)
        elif declaring = dslModule || declaring = typeof<Dsl> then
            let intrinsic = if declaring = typeof<Dsl> then m.Name else (match Dsl.intrinsics.TryGetValue m.Name with | true, n -> n | _ -> "")
            match intrinsic with
            | "" -> this.UnsupportedCall(expr, m)
            | "Select" ->
                let x = arg 0
                match this.Bind(typeof<int[]>, args.[1], env, prefix) with
                | ClassList name -> this.Add(expr, "Select", [ x ], name)
                | Node _ -> fail "LD0008" args.[1] [ SourceText.snippet args.[1] ]
            | "Pow" ->
                let x = arg 0
                let e = arg 1
                if builder.DependsOnField e then fail "LD0009" args.[1] [ SourceText.snippet args.[1] ]
                this.Add(expr, "Pow", [ x; e ])
            | name -> this.Add(expr, name, List.init args.Length arg)
        elif m.IsDefined(typeof<LossAttribute>, false) then
            this.InlineStored(expr, m, args, env, prefix)
        else
            match Expr.TryGetReflectedDefinition m with
            | Some definition -> this.InlineDefinition(expr, m, definition, args, env, prefix)
            | None -> this.UnsupportedCall(expr, m)

    member private _.UnsupportedCall(expr: Expr, m: MethodInfo) : int =
        let name = (match m.DeclaringType with | null -> "" | t -> string t.FullName + ".") + m.Name
        let lower = lowerFirst m.Name
        if Dsl.intrinsics.ContainsKey lower then
            unsupported expr $"The call of '%s{name}'" $"use the function %s{lower} of LossDsl.FSharp (open LossDsl.FSharp), which the compiler can differentiate"
        else
            unsupported expr $"The call of '%s{name}'" "only LossDsl.FSharp functions, [Loss] methods, [<ReflectedDefinition>] functions and compiled losses spliced with % can be called"

    /// Binds a callee's parameters to the caller's arguments: class lists to the caller's int[] parameters (LD0008
    /// otherwise), everything else to the argument's node.
    member private this.Bind(parameterType: Type, argument: Expr, env: Map<Var, Binding>, prefix) =
        if parameterType = typeof<int[]> then
            match argument with
            | Var v when (match env.TryFind v with Some (ClassList _) -> true | _ -> false) -> env.[v]
            | other -> fail "LD0008" other [ SourceText.snippet other ]
        else
            Node(this.Translate(argument, env, prefix))

    member private this.Enter(expr: Expr, m: MethodBase, inner: unit -> int) =
        match stack |> List.tryFindIndex (fun s -> s = m) with
        | Some start ->
            let chain = String.Join(" → ", (stack |> List.skip start |> List.map (fun s -> s.Name)) @ [ m.Name ])
            fail "LD0007" expr [ m.Name; chain ]
        | None ->
            stack <- stack @ [ m ]
            try
                let result = inner ()
                // The callee's value reads as its name in formulas and generated code.
                builder.Label(result, lowerFirst m.Name)
                result
            finally
                stack <- List.take (stack.Length - 1) stack

    /// A [Loss] compiled by the C# generator (a built-in): its stored graph, inlined as the generator inlines a loss
    /// of another assembly.
    member private this.InlineStored(expr, m: MethodInfo, args, env, prefix) =
        match storedGraph m with
        | None -> fail "LD0010" expr [ m.Name; string ((nonNull m.DeclaringType).Assembly.GetName().Name) ]
        | Some graph ->
            this.Enter(expr, m, fun () ->
                let bindings = (m.GetParameters(), args) ||> Seq.map2 (fun p a -> p.Name, this.Bind(p.ParameterType, a, env, prefix)) |> dict
                let nodeOf name = match bindings.TryGetValue name with | true, Node id -> Nullable id | _ -> Nullable()
                let classOf name : string | null = match bindings.TryGetValue name with | true, ClassList c -> c | _ -> null
                try builder.Inline(graph, Func<_, _>(nodeOf), Func<_, _>(classOf), lowerFirst m.Name + "_")
                with :? LossShapeException as e -> fail "LD0002" expr [ e.Message ])

    /// A [<ReflectedDefinition>] F# function: its quotation, inlined like a [Loss] body.
    member private this.InlineDefinition(expr, m: MethodInfo, definition: Expr, args, env, prefix) =
        this.Enter(expr, m, fun () ->
            let rec parameters e acc =
                match e with
                | Lambda (v, body) -> parameters body (v :: acc)
                | body -> List.rev acc, body
            let vars, body = parameters definition []
            // A function of tupled arguments is quoted as one lambda over the tuple; compiled F# functions of
            // curried arguments keep one lambda per argument.
            if vars.Length <> args.Length then unsupported expr $"The call of '%s{m.Name}'" "declare the function with curried arguments (f a b), not a tuple"
            let calleeEnv = (env, vars, args) |||> List.fold2 (fun e v a -> e.Add(v, this.Bind(v.Type, a, env, prefix)))
            this.Translate(body, calleeEnv, lowerFirst m.Name + "_"))

    /// f a b where f is a lambda: a compiled loss spliced with % (or a lambda written in place) applied to arguments.
    member private this.Apply(expr, env, prefix) =
        let rec spine e args =
            match e with
            | Application (f, a) -> spine f (a :: args)
            | head -> head, args
        let head, args = spine expr []
        let rec bind e (args: Expr list) (calleeEnv: Map<Var, Binding>) =
            match e, args with
            | Lambda (v, body), a :: rest -> bind body rest (calleeEnv.Add(v, this.Bind(v.Type, a, env, prefix)))
            | body, [] -> this.Translate(body, calleeEnv, prefix)
            | _ -> let c, i = describeUnsupported expr in unsupported expr c i
        match head with
        | Lambda _ -> bind head args env
        | Call (None, m, [ Value (:? string as name, _); (Lambda _ as formula) ]) when m.Name = "named" && m.DeclaringType = dslModule ->
            // A compiled loss spliced in: inlined as the generator inlines a [Loss] (locals prefixed, value named).
            let rec bindNamed e (args: Expr list) (calleeEnv: Map<Var, Binding>) =
                match e, args with
                | Lambda (v, body), a :: rest -> bindNamed body rest (calleeEnv.Add(v, this.Bind(v.Type, a, env, prefix)))
                | body, [] ->
                    let result = this.Translate(body, calleeEnv, lowerFirst name + "_")
                    builder.Label(result, lowerFirst name)
                    result
                | _ -> let c, i = describeUnsupported expr in unsupported expr c i
            bindNamed formula args env
        | _ -> let c, i = describeUnsupported expr in unsupported expr c i

let private kindOf (t: Type) =
    if t = typeof<Field> then Some FieldParameter
    elif t = typeof<int[]> then Some ClassListParameter
    elif t = typeof<float> then Some (HyperParameter "double")
    elif t = typeof<float32> then Some (HyperParameter "float")
    elif t = typeof<int> then Some (HyperParameter "int")
    else None

let private typeName (t: Type) =
    if t = typeof<float> then "float" elif t = typeof<string> then "string" elif t = typeof<bool> then "bool"
    elif t.IsGenericType && (string t.FullName).StartsWith "System.Tuple" then String.Join(" * ", t.GetGenericArguments() |> Array.map (fun a -> a.Name))
    else t.Name

/// Translates a quotation of a lambda into a forward graph, or raises LossCompileException.
let translate (name: string) (quotation: Expr) : Translated =
    let rec lambdas e acc =
        match e with
        | Lambda (v, body) -> lambdas body (v :: acc)
        | body -> List.rev acc, body
    let vars, body = lambdas quotation []
    let builder = LossGraphBuilder()
    let parameters, env =
        ((([], Map.empty)), vars)
        ||> List.fold (fun (ps, env: Map<Var, Binding>) v ->
            let identifier = v.Name.Length > 0 && (Char.IsLetter v.Name.[0] || v.Name.[0] = '_') && Seq.forall (fun c -> Char.IsLetterOrDigit c || c = '_') v.Name
            if not identifier then
                unsupported quotation $"The parameter name '%s{v.Name}'" "name parameters with letters, digits and _: they become the parameters of the generated C# members"
            if ps |> List.exists (fun (p: Parameter) -> p.Name = v.Name) then
                unsupported quotation $"A second parameter named '%s{v.Name}'" "give each parameter its own name: they become the parameters of the generated C# members"
            match kindOf v.Type with
            | None -> fail "LD0006" quotation [ v.Name; name; typeName v.Type ]
            | Some kind ->
                let binding =
                    match kind with
                    | FieldParameter -> Node(builder.Field v.Name)
                    | ClassListParameter -> ClassList v.Name
                    | HyperParameter _ -> Node(builder.Hyper v.Name)
                ps @ [ { Name = v.Name; Kind = kind } ], env.Add(v, binding))
    let fields = parameters |> List.filter (fun p -> p.Kind = FieldParameter) |> List.length
    if fields = 0 then fail "LD0012" quotation [ name ]
    if fields > 8 then fail "LD0015" quotation [ name; string fields; "8" ]
    let result =
        try Translator(builder).Translate(body, env, "")
        with :? LossCompileException as e when e.Position = "" && SourceText.position quotation <> "" ->
            raise (LossCompileException(e.Id, e.Diagnostic, SourceText.position quotation))
    if not (builder.IsScalar result) then
        fail "LD0002" body [ $"a loss must be a scalar, but its value has shape %s{builder.ShapeOf result}" ]
    { Builder = builder; Result = result; Parameters = parameters; Graph = builder.Write result }
