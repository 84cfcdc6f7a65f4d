// The /docs page: Swagger UI over the served OpenAPI document.
window.addEventListener("load", function () {
  window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#docs", deepLinking: true });
});
