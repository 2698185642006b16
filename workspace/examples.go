package workspace

import "hooklab/requester"

// Example is a ready request on the built-in sandbox whose webhooks come
// back to the catcher: what the composer's Examples menu opens.
type Example struct {
	Name        string
	Description string
	Request     requester.Request
}

func jsonPost(name, url, body string) requester.Request {
	return requester.Request{
		Name:    name,
		Method:  "POST",
		URL:     url,
		Headers: []requester.Header{{Name: "Content-Type", Value: "application/json"}},
		Body:    requester.Body{Kind: requester.BodyJSON, Text: body},
	}
}

// Examples lists the sandbox's scenarios as requests, in menu order.
// Each uses {{sandbox_url}} and {{webhook_url}}, so it works whichever
// ports the sandbox and the catcher got.
func Examples() []Example {
	return []Example{
		{
			Name: "Create payment",
			Description: "A payment: 201 at once, then payment.created and payment.succeeded arrive " +
				"on /payments, signed with Standard Webhooks.",
			Request: ExampleRequest(),
		},
		{
			Name: "Start a job",
			Description: "An async job: 202 at once, then job.progress three times (25, 50, 75 %) and " +
				"job.completed arrive on /jobs, a second apart.",
			Request: jsonPost("Start a job", "{{sandbox_url}}/v1/jobs", `{
  "name": "nightly export",
  "callback_url": "{{webhook_url}}jobs"
}`),
		},
		{
			Name: "Git push",
			Description: "A push to a repository: 202, then a GitHub-style push webhook (X-GitHub-Event: push) " +
				"arrives on /github, signed with X-Hub-Signature-256.",
			Request: jsonPost("Git push", "{{sandbox_url}}/v1/repos/octo-org/hello-world/push", `{
  "ref": "refs/heads/main",
  "message": "Fix the typo in the README",
  "callback_url": "{{webhook_url}}github"
}`),
		},
		{
			Name: "Retries",
			Description: "A payment whose webhooks go to /retries. First give /retries a response rule that " +
				"answers 500, then Send: the sandbox retries each webhook after 0.5, 1, 2, 4 and 8 s, and the " +
				"catcher shows every attempt. Remove the rule within those 15 s and the next attempt succeeds.",
			Request: jsonPost("Retries", "{{sandbox_url}}/v1/payments", `{
  "amount": 500,
  "currency": "eur",
  "description": "Retried webhook demo",
  "callback_url": "{{webhook_url}}retries"
}`),
		},
	}
}
