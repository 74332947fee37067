using System.Linq;
using LossDsl.Generators.Model;
using Xunit;

namespace LossDsl.Generators.Tests.Model;

/// <summary>
/// <see cref="NameScope.Fresh"/> remembers where each stem's numbering stopped (a loss with thousands of sums asks for
/// <c>plus</c> thousands of times); the names it hands out are still the smallest free ones.
/// </summary>
public sealed class NameScopeTests
{
    [Fact]
    public void Names_of_one_stem_are_the_stem_then_numbers_from_2_skipping_taken_ones()
    {
        var scope = new NameScope(new[] { "plus3", "plus" });
        var names = Enumerable.Range(0, 5).Select(_ => scope.Fresh("plus")).ToArray();
        Assert.Equal(new[] { "plus2", "plus4", "plus5", "plus6", "plus7" }, names);
    }

    [Fact]
    public void A_name_taken_after_numbering_started_is_skipped()
    {
        var scope = new NameScope(new string[0]);
        Assert.Equal("ratio", scope.Fresh("ratio"));
        Assert.Equal("ratio2", scope.Fresh("ratio"));
        Assert.True(scope.Take("ratio3"));
        Assert.Equal("ratio4", scope.Fresh("ratio"));
        Assert.Equal("ratio42", scope.Fresh("ratio4"));
    }

    [Fact]
    public void A_fork_continues_the_parents_numbering_and_does_not_change_it()
    {
        var parent = new NameScope(new string[0]);
        parent.Fresh("x");
        parent.Fresh("x");
        var child = parent.Fork();
        Assert.Equal("x3", child.Fresh("x"));
        Assert.Equal("x3", parent.Fresh("x"));
    }

    [Fact]
    public void Ten_thousand_names_of_one_stem_are_distinct_and_numbered_in_order()
    {
        var scope = new NameScope(new string[0]);
        var names = Enumerable.Range(0, 10_000).Select(_ => scope.Fresh("plus")).ToList();
        Assert.Equal("plus", names[0]);
        Assert.Equal("plus10000", names[^1]);
        Assert.Equal(names.Count, names.Distinct().Count());
    }
}
