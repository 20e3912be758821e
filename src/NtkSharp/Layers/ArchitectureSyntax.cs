namespace NtkSharp.Layers;

/// <summary>A node of parsed architecture text; <see cref="Start"/>..<see cref="End"/> is its source span.</summary>
internal abstract record ArchitectureSyntax(int Start, int End);

/// <summary><c>Name(arguments)</c>: a layer factory call.</summary>
internal sealed record CallSyntax(int Start, int End, string Name, IReadOnlyList<ArgumentSyntax> Arguments) : ArchitectureSyntax(Start, End);

/// <summary>One argument, positional (<see cref="Name"/> null) or named (<c>name: value</c>).</summary>
internal sealed record ArgumentSyntax(int Start, string? Name, ArchitectureSyntax Value);

/// <summary>A numeric literal as written (integer or floating point).</summary>
internal sealed record NumberSyntax(int Start, int End, string Text) : ArchitectureSyntax(Start, End)
{
    public bool IsInteger => !Text.AsSpan().ContainsAny('.', 'e', 'E');
}

/// <summary>A bare (possibly dotted) name: <c>true</c>, <c>false</c>, <c>null</c> or an enum member.</summary>
internal sealed record NameSyntax(int Start, int End, string Name) : ArchitectureSyntax(Start, End);

/// <summary><c>(a, b, …)</c> with at least two items.</summary>
internal sealed record TupleSyntax(int Start, int End, IReadOnlyList<ArchitectureSyntax> Items) : ArchitectureSyntax(Start, End);

/// <summary><c>[a, b, …]</c>: a list (for array parameters).</summary>
internal sealed record ListSyntax(int Start, int End, IReadOnlyList<ArchitectureSyntax> Items) : ArchitectureSyntax(Start, End);
