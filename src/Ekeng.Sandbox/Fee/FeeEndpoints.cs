using Ekeng.Sandbox.Crm;

namespace Ekeng.Sandbox.Fee;

/// <summary>The annual fee's routes on the CRM listener, under /api/v1/fee (card login).</summary>
public static class FeeEndpoints
{
    public static void Map(RouteGroupBuilder fee)
    {
        fee.MapGet("", (Holder h, FeeService service) => service.Fee(h));
        fee.MapPost("/orders", async (HttpContext ctx, Holder h, FeeService service) =>
            await CrmEndpoints.Body<FeeOrderRequest>(ctx) is (true, var body) ? await service.Create(h, body) : CrmEndpoints.BadJson());
        fee.MapGet("/orders", (Holder h, FeeService service) => service.List(h));
        fee.MapGet("/orders/{orderNumber}", (Holder h, string orderNumber, FeeService service) => service.Get(h, orderNumber));
    }
}
