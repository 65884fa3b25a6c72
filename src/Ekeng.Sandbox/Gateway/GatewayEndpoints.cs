namespace Ekeng.Sandbox.Gateway;

/// <summary>The gateway listener's routes: the REST methods and the card page.</summary>
public static class GatewayEndpoints
{
    public static void Map(WebApplication app)
    {
        RouteGroupBuilder rest = app.MapGroup("/payment/rest");
        rest.MapPost("/register.do", async (HttpContext ctx, GatewayService gw) =>
            Results.Json(await gw.Register(await Form(ctx), $"{ctx.Request.Scheme}://{ctx.Request.Host}")));
        rest.MapPost("/getOrderStatusExtended.do", async (HttpContext ctx, GatewayService gw) => Results.Json(await gw.Status(await Form(ctx))));
        rest.MapPost("/reverse.do", async (HttpContext ctx, GatewayService gw) => Results.Json(await gw.Reverse(await Form(ctx))));
        rest.MapPost("/refund.do", async (HttpContext ctx, GatewayService gw) => Results.Json(await gw.Refund(await Form(ctx))));

        app.MapGet(CardPage.FormPath, async (HttpContext ctx, GatewayService gw) =>
        {
            GatewayOrder? o = await gw.ForPage(ctx.Request.Query["mdOrder"]);
            if (o is null) return Html(CardPage.NotFound(), 404);
            return o.OrderStatus switch
            {
                0 => Html(CardPage.Form(o, null)),
                5 => Html(CardPage.ThreeDSecure(o)),
                _ => Html(CardPage.Finished(o, GatewayService.RedirectFor(o))),
            };
        });
        app.MapPost(CardPage.FormPath, async (HttpContext ctx, GatewayService gw) =>
        {
            IFormCollection f = await Form(ctx);
            CardOutcome outcome = await gw.SubmitCard(f["mdOrder"], f["pan"], f["cardholder"], f["expiry"], f["cvc"]);
            return Respond(outcome);
        });
        app.MapGet(CardPage.AcsPath, async (HttpContext ctx, GatewayService gw) =>
        {
            GatewayOrder? o = await gw.ForPage(ctx.Request.Query["mdOrder"]);
            if (o is null) return Html(CardPage.NotFound(), 404);
            return o.OrderStatus == 5 ? Html(CardPage.ThreeDSecure(o)) : Html(CardPage.Finished(o, GatewayService.RedirectFor(o)));
        });
        app.MapPost(CardPage.AcsPath, async (HttpContext ctx, GatewayService gw) =>
        {
            IFormCollection f = await Form(ctx);
            return Respond(await gw.ConfirmThreeDSecure(f["mdOrder"], f["code"]));
        });
    }

    private static IResult Respond(CardOutcome outcome)
    {
        if (outcome.Order is null) return Html(CardPage.NotFound(), 404);
        if (outcome.ThreeDSecure) return Results.Redirect($"{CardPage.AcsPath}?mdOrder={Uri.EscapeDataString(outcome.Order.OrderId)}");
        if (outcome.RedirectUrl is not null) return Results.Redirect(outcome.RedirectUrl);
        return Html(CardPage.Form(outcome.Order, outcome.Error), 200);
    }

    private static async Task<IFormCollection> Form(HttpContext ctx) =>
        ctx.Request.HasFormContentType ? await ctx.Request.ReadFormAsync() : new FormCollection(null);

    private static IResult Html(string html, int status = 200) => Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
}
