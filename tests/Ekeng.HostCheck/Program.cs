using System.Reflection;
using System.Runtime.Loader;
using System.Text;

// Usage: Ekeng.HostCheck <module folder>. Prints one line per check ("PASS name: detail" / "FAIL name: detail")
// and exits 0 only when every check passed.
if (args.Length != 1 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("Usage: Ekeng.HostCheck <built module folder>");
    return 2;
}

string module = Path.GetFullPath(args[0]);
int failed = 0;

// PowerShell 7 loads a module's assemblies into the default context by path and, for a dependency the runtime does
// not have, probes the module's folder by simple name (its Resolving handler). A dependency the runtime has (the
// shared framework) comes from the runtime: a reference to a higher version than the runtime's fails there.
AssemblyLoadContext.Default.Resolving += (context, name) =>
{
    string candidate = Path.Combine(module, name.Name + ".dll");
    return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
};

void Check(string name, Func<string> body)
{
    try
    {
        Console.WriteLine($"PASS {name}: {body()}");
    }
    catch (Exception e)
    {
        failed++;
        Exception inner = e is TargetInvocationException { InnerException: { } i } ? i : e;
        string message = inner is ReflectionTypeLoadException load
            ? string.Join(" | ", load.LoaderExceptions.Select(x => x?.Message).Distinct())
            : inner.Message;
        Console.WriteLine($"FAIL {name}: {inner.GetType().FullName}: {message.Replace(Environment.NewLine, " ")}");
    }
}

Console.WriteLine($"RUNTIME {Environment.Version} ({System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription})");

Assembly core = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.Combine(module, "Ekeng.Core.dll"));
Type Get(string typeName) => core.GetType(typeName, throwOnError: true)!;
object? Call(Type type, string method, params object?[] arguments) =>
    type.GetMethod(method, BindingFlags.Public | BindingFlags.Static, arguments.Select(a => a?.GetType() ?? typeof(byte[])).ToArray())!
        .Invoke(null, arguments);

// Every shipped assembly but the cmdlets (they need PowerShell's own System.Management.Automation) binds by name and
// loads all its types: a reference nothing in the folder or the runtime satisfies fails here.
foreach (string file in Directory.GetFiles(module, "*.dll").OrderBy(f => f, StringComparer.Ordinal))
{
    AssemblyName shipped = AssemblyName.GetAssemblyName(file);
    if (shipped.Name == "Ekeng.PowerShell")
    {
        continue;
    }

    Check($"load {shipped.Name}", () =>
    {
        Assembly loaded = Assembly.Load(shipped);
        int types = loaded.GetTypes().Length;
        string from = loaded.Location.StartsWith(module, StringComparison.Ordinal) ? "module" : "runtime";
        return $"{loaded.GetName().Version} from the {from} ({types} types)";
    });
}

Check("json", () =>
{
    byte[] policies = Encoding.UTF8.GetBytes("{\"policies\":{\"SecurityDevices\":{\"Add\":{\"ARMID\":\"/usr/lib/ccs/libccpkip11.so\"}}}}");
    object policy = Call(Get("Ekeng.Firefox.PoliciesJson"), "Read", policies, "policies.json")!;
    var add = (System.Collections.IList)policy.GetType().GetProperty("Add")!.GetValue(policy)!;
    if (add.Count != 1 || !add[0]!.ToString()!.Contains("ARMID"))
    {
        throw new InvalidOperationException($"policies.json read as {add.Count} device(s)");
    }

    Assembly json = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "System.Text.Json");
    return $"policies.json read: {add[0]} (System.Text.Json {json.GetName().Version} from {Path.GetDirectoryName(json.Location)})";
});

Check("phone", () =>
{
    // Parentheses are not one of the usual spellings the module answers itself: this one goes through libphonenumber.
    string e164 = (string)Call(Get("Ekeng.Crm.ArmenianPhoneNumber"), "Normalize", "(077) 123456")!;
    if (e164 != "+37477123456")
    {
        throw new InvalidOperationException($"(077) 123456 normalised to {e164}");
    }

    return $"(077) 123456 -> {e164}";
});

Check("pdf", () =>
{
    Type paymentType = Get("Ekeng.Payments.FeePayment");
    object payment = Activator.CreateInstance(paymentType)!;
    void Set(string property, object value) => paymentType.GetProperty(property)!.SetValue(payment, value);
    Set("OrderNumber", "HOSTCHECK-1");
    Set("Amount", 3000m);
    Set("Status", Enum.Parse(Get("Ekeng.Payments.FeePaymentStatus"), "Paid"));
    Set("HolderName", "ԱՆՈՒՆ ԱԶԳԱՆՈՒՆ");
    Set("PaidAt", (DateTimeOffset?)new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(4)));
    Set("PeriodStart", new DateTime(2026, 1, 2));
    Set("PeriodEnd", new DateTime(2027, 1, 1));
    Type receiptType = Get("Ekeng.Payments.FeeReceipt");
    object receipt = receiptType.GetMethod("FromPayment")!.Invoke(null, new[] { payment })!;
    byte[] pdf = (byte[])receiptType.GetMethod("ToPdf")!.Invoke(receipt, null)!;
    if (pdf.Length < 1000 || Encoding.ASCII.GetString(pdf, 0, 5) != "%PDF-")
    {
        throw new InvalidOperationException($"the receipt is {pdf.Length} bytes, not a PDF");
    }

    Assembly pdfSharp = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "PdfSharp");
    return $"receipt rendered, {pdf.Length} bytes (PdfSharp {pdfSharp.GetName().Version})";
});

Console.WriteLine(failed == 0 ? "HOSTCHECK PASSED" : $"HOSTCHECK FAILED: {failed} check(s)");
return failed == 0 ? 0 : 1;
