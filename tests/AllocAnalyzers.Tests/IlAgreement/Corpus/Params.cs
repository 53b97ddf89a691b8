// IL agreement corpus: object and params object[] parameters.
using System;
using System.Collections;
using System.Globalization;
using System.Text;

static class Params
{
    static void Log(string format, params object[] args) { }

    static string Format(int a, double b) => string.Format("{0} {1}", a, b);
    static string FormatProvider(decimal price) => string.Format(CultureInfo.InvariantCulture, "{0:C}", price);
    static void WriteLine(int a, int b) => Console.WriteLine("{0}/{1}", a, b);
    static void OwnParams(int a, Guid id) => Log("x", a, id, "text");
    static string Concat(int a, int b) => string.Concat(a, b);
    static void Append(StringBuilder builder, int value) => builder.Append((object)value);
    static void AppendFormat(StringBuilder builder, int value) => builder.AppendFormat("{0:X}", value);
    static void TypedOverloads(StringBuilder builder, int value) => builder.Append(value).Append(1.5).Append('c');
    static void ArrayListAdd(ArrayList list, int value) => list.Add(value);
    static void HashtableSet(Hashtable table, int key, DateTime value) => table[key] = value;
    static bool StaticEquals(int a, int b) => object.Equals(a, b);
    static bool InstanceEqualsObject(int a, int b) => a.Equals((object)b);
    static bool TypedEquals(int a, int b) => a.Equals(b);
    static void Defaults() => WithDefault();
    static void WithDefault(object value = null) { }
    static object ConstantBox() => 42;
    static object Conditional(bool flag) => flag ? 1 : 2;
    static object ConditionalMixed(bool flag, string s) => flag ? (object)1 : s;
}
