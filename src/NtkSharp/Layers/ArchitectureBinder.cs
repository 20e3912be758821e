using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace NtkSharp.Layers;

/// <summary>
/// Turns parsed architecture text into layers: <c>Name(...)</c> calls the public static method of <see cref="Stax"/>
/// with that name, binding positional and named arguments by the C# parameter names (defaults for the rest) and
/// converting each value to the parameter's type. New <see cref="Stax"/> factories are picked up without changes here.
/// </summary>
internal sealed class ArchitectureBinder
{
    private static readonly ConcurrentDictionary<Type, FrozenDictionary<string, MethodInfo[]>> Cache = new();

    private readonly string _text;
    private readonly string _prefix;
    private readonly FrozenDictionary<string, MethodInfo[]> _factories;

    /// <summary>A binder resolving names to the public static layer-returning methods of <paramref name="factories"/>
    /// (<see cref="Stax"/> for <see cref="Layer.Parse(string)"/>; tests pass their own class).</summary>
    public ArchitectureBinder(string text, Type factories)
    {
        _text = text;
        _prefix = factories.Name + ".";
        _factories = Cache.GetOrAdd(factories, static t => t
            .GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => typeof(Layer).IsAssignableFrom(m.ReturnType) && !m.IsGenericMethodDefinition)
            .GroupBy(m => m.Name, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.OrderByDescending(m => m.GetParameters().Length).ToArray(), StringComparer.Ordinal));
    }

    /// <summary>The layer names that architecture text knows, sorted.</summary>
    public IReadOnlyList<string> KnownLayers => [.. _factories.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Parses and binds <paramref name="text"/> against <paramref name="factories"/>.</summary>
    public static Layer Parse(string text, Type factories) => new ArchitectureBinder(text, factories).Bind(ArchitectureParser.Parse(text));

    public Layer Bind(CallSyntax call)
    {
        string name = call.Name.StartsWith(_prefix, StringComparison.Ordinal) ? call.Name[_prefix.Length..] : call.Name;
        if (!_factories.TryGetValue(name, out var overloads))
        {
            string hint = Closest(name, _factories.Keys) is { } c ? $" (did you mean '{c}'?)" : "";
            throw new ArchitectureParseException(call.Start,
                $"unknown layer '{call.Name}'{hint}; known layers: {string.Join(", ", KnownLayers)}");
        }
        if (overloads.Length == 1) return Invoke(overloads[0], name, call);
        ArchitectureParseException? first = null;
        foreach (var m in overloads)
        {
            object?[] args;
            try
            {
                args = BindArguments(m, name, call);
            }
            catch (ArchitectureParseException e)
            {
                first ??= e;
                continue;
            }
            return Call(m, name, call, args);
        }
        throw first!;
    }

    private Layer Invoke(MethodInfo method, string name, CallSyntax call) => Call(method, name, call, BindArguments(method, name, call));

    private Layer Call(MethodInfo method, string name, CallSyntax call, object?[] args)
    {
        try
        {
            return (Layer)method.Invoke(null, args)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is ArgumentException or InvalidOperationException or FormatException)
        {
            var inner = e.InnerException!;
            throw new ArchitectureParseException(call.Start, $"{name}: {PlainMessage(inner)}", inner);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    /// <summary>An exception's message on one line without the runtime's "(Parameter 'x')" and "Actual value was …"
    /// suffixes (the position and layer name already say where).</summary>
    private static string PlainMessage(Exception e)
    {
        string m = e.Message.ReplaceLineEndings(" ");
        int actual = m.IndexOf("Actual value was", StringComparison.Ordinal);
        if (actual >= 0) m = m[..actual];
        if (e is ArgumentException { ParamName: { } p }) m = m.Replace($" (Parameter '{p}')", "", StringComparison.Ordinal);
        return m.Trim();
    }

    private object?[] BindArguments(MethodInfo method, string name, CallSyntax call)
    {
        var parameters = method.GetParameters();
        var values = new object?[parameters.Length];
        var given = new bool[parameters.Length];
        int positional = 0;
        bool sawNamed = false;
        List<object?>? paramsItems = null;
        var last = parameters.Length > 0 ? parameters[^1] : null;
        bool hasParams = last is not null && last.IsDefined(typeof(ParamArrayAttribute), false);

        foreach (var arg in call.Arguments)
        {
            int index;
            if (arg.Name is null)
            {
                if (sawNamed)
                    throw new ArchitectureParseException(arg.Start, $"{name}: a positional argument cannot follow named arguments");
                if (hasParams && positional == parameters.Length - 1 && paramsItems is null && arg.Value is ListSyntax
                    && call.Arguments.Count(a => a.Name is null) == parameters.Length)
                {
                    index = positional++; // the params array written as one list, e.g. Polynomial([1, 2])
                    given[index] = true;
                    values[index] = Convert(arg.Value, last!.ParameterType, name, last.Name!);
                    continue;
                }
                if (hasParams && positional >= parameters.Length - 1)
                {
                    paramsItems ??= [];
                    paramsItems.Add(Convert(arg.Value, last!.ParameterType.GetElementType()!, name, last.Name!));
                    positional++;
                    continue;
                }
                if (positional >= parameters.Length)
                    throw new ArchitectureParseException(arg.Start,
                        $"{name} takes {Count(parameters.Length, "argument")} but more were given; its parameters: {Signature(parameters)}");
                index = positional++;
            }
            else
            {
                sawNamed = true;
                index = Array.FindIndex(parameters, p => p.Name == arg.Name);
                if (index < 0)
                {
                    string hint = Closest(arg.Name, parameters.Select(p => p.Name!)) is { } c ? $" (did you mean '{c}'?)" : "";
                    throw new ArchitectureParseException(arg.Start,
                        $"{name} has no parameter '{arg.Name}'{hint}; its parameters: {Signature(parameters)}");
                }
                if (given[index] || (hasParams && index == parameters.Length - 1 && paramsItems is not null))
                    throw new ArchitectureParseException(arg.Start, $"{name}: parameter '{arg.Name}' is given twice");
            }
            given[index] = true;
            values[index] = Convert(arg.Value, parameters[index].ParameterType, name, parameters[index].Name!);
        }

        for (int i = 0; i < parameters.Length; i++)
        {
            if (given[i]) continue;
            var p = parameters[i];
            if (hasParams && i == parameters.Length - 1)
            {
                var items = paramsItems ?? [];
                var array = Array.CreateInstance(p.ParameterType.GetElementType()!, items.Count);
                for (int k = 0; k < items.Count; k++) array.SetValue(items[k], k);
                values[i] = array;
            }
            else if (p.HasDefaultValue)
            {
                values[i] = p.DefaultValue;
            }
            else
            {
                throw new ArchitectureParseException(call.End - 1,
                    $"{name} needs the parameter '{p.Name}' ({TypeName(p.ParameterType)}); its parameters: {Signature(parameters)}");
            }
        }
        return values;
    }

    private object? Convert(ArchitectureSyntax node, Type type, string layer, string parameter, Type? declared = null)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (node is NameSyntax { Name: "null" })
        {
            if (underlying is not null || !type.IsValueType) return null;
            throw WrongType(node, type, layer, parameter);
        }
        if (underlying is not null) return Convert(node, underlying, layer, parameter, type);
        declared ??= type;

        if (type == typeof(int) || type == typeof(long))
        {
            if (node is NumberSyntax { IsInteger: true } n
                && long.TryParse(n.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v)
                && (type == typeof(long) || v is >= int.MinValue and <= int.MaxValue))
            {
                if (type == typeof(int)) return (int)v;
                return v;
            }
            throw WrongType(node, declared, layer, parameter);
        }
        if (type == typeof(double))
        {
            if (node is NumberSyntax d && double.TryParse(d.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v))
                return v;
            throw WrongType(node, declared, layer, parameter);
        }
        if (type == typeof(bool))
        {
            if (node is NameSyntax { Name: "true" or "false" } b) return b.Name == "true";
            throw WrongType(node, declared, layer, parameter);
        }
        if (type.IsEnum) return ConvertEnum(node, type, layer, parameter, declared);
        if (type.IsGenericType && type.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal))
        {
            var itemTypes = type.GetGenericArguments();
            if (node is not TupleSyntax t || t.Items.Count != itemTypes.Length || itemTypes.Length > 7)
                throw WrongType(node, declared, layer, parameter);
            var items = new object?[itemTypes.Length];
            for (int i = 0; i < items.Length; i++) items[i] = Convert(t.Items[i], itemTypes[i], layer, parameter);
            return Activator.CreateInstance(type, items);
        }
        if (type.IsArray && type.GetElementType() is { } element && element != typeof(Layer) && !typeof(Layer).IsAssignableFrom(element))
        {
            IReadOnlyList<ArchitectureSyntax> nodes = node switch
            {
                ListSyntax l => l.Items,
                TupleSyntax t => t.Items,
                _ => [node],
            };
            var array = Array.CreateInstance(element, nodes.Count);
            for (int i = 0; i < nodes.Count; i++) array.SetValue(Convert(nodes[i], element, layer, parameter), i);
            return array;
        }
        if (typeof(Layer).IsAssignableFrom(type))
        {
            if (node is not CallSyntax call) throw WrongType(node, declared, layer, parameter);
            var value = Bind(call);
            if (!type.IsInstanceOfType(value))
                throw new ArchitectureParseException(node.Start, $"{layer} parameter '{parameter}' expects {TypeName(type)} but {value.Name} is not one");
            return value;
        }
        throw new ArchitectureParseException(node.Start, $"{layer} parameter '{parameter}' has type {type.Name}, which architecture text cannot express");
    }

    private object ConvertEnum(ArchitectureSyntax node, Type type, string layer, string parameter, Type declared)
    {
        var names = Enum.GetNames(type);
        if (node is NameSyntax n)
        {
            string member = n.Name.StartsWith(type.Name + ".", StringComparison.Ordinal) ? n.Name[(type.Name.Length + 1)..] : n.Name;
            if (names.Contains(member, StringComparer.Ordinal)) return Enum.Parse(type, member);
            string hint = Closest(member, names) is { } c ? $" (did you mean '{c}'?)" : "";
            throw new ArchitectureParseException(node.Start,
                $"{layer} parameter '{parameter}': '{n.Name}' is not a {type.Name}{hint}; one of: {string.Join(", ", names)}");
        }
        throw WrongType(node, declared, layer, parameter);
    }

    private ArchitectureParseException WrongType(ArchitectureSyntax node, Type type, string layer, string parameter)
    {
        string got = _text[node.Start..node.End];
        if (got.Length > 40) got = got[..37] + "...";
        return new ArchitectureParseException(node.Start, $"{layer} parameter '{parameter}' expects {TypeName(type)} but got '{got}'");
    }

    private static string TypeName(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null) return TypeName(underlying) + " or null";
        if (type == typeof(int)) return "an integer";
        if (type == typeof(long)) return "an integer";
        if (type == typeof(double)) return "a finite number";
        if (type == typeof(bool)) return "true or false";
        if (type.IsEnum) return $"a {type.Name} ({string.Join(", ", Enum.GetNames(type))})";
        if (type.IsArray) return $"{TypeName(type.GetElementType()!)} (repeated)";
        if (type.IsGenericType && type.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal))
            return "a tuple (" + string.Join(", ", type.GetGenericArguments().Select(ShortName)) + ")";
        if (type == typeof(Layer)) return "a layer";
        if (typeof(Layer).IsAssignableFrom(type)) return $"a {type.Name} layer";
        return type.Name;
    }

    private static string ShortName(Type type) =>
        type == typeof(int) ? "int" : type == typeof(double) ? "double" : type == typeof(long) ? "long" : type == typeof(bool) ? "bool" : type.Name;

    private static string Signature(ParameterInfo[] parameters) => parameters.Length == 0
        ? "none"
        : string.Join(", ", parameters.Select(p => p.IsDefined(typeof(ParamArrayAttribute), false)
            ? $"{p.Name}… ({TypeName(p.ParameterType.GetElementType()!)}s)"
            : p.HasDefaultValue ? $"{p.Name} = {ArchitectureText.Format(p.DefaultValue ?? "null")}" : p.Name!));

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    /// <summary>The candidate within edit distance 2 (or equal ignoring case) of <paramref name="name"/>, if any.</summary>
    private static string? Closest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            int d = string.Equals(c, name, StringComparison.OrdinalIgnoreCase) ? 0 : Levenshtein(c.ToLowerInvariant(), name.ToLowerInvariant());
            if (d < bestDistance)
            {
                bestDistance = d;
                best = c;
            }
        }
        return bestDistance <= 2 ? best : null;
    }

    private static int Levenshtein(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
