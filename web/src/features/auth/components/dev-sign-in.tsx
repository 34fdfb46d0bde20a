import { useEffect, useRef } from "react";
import { useForm } from "react-hook-form";
import { useCreateDevToken } from "@/features/auth/api/create-dev-token";
import { keepDevToken } from "@/shared/auth/session-token";
import { Button } from "@/shared/components/button";
import { AlertRegion } from "@/shared/components/status-notes";
import { TextField } from "@/shared/components/text-field";
import { fieldError, formAlert, showServerError } from "@/shared/forms/server-errors";

interface Values {
  user_id: string;
}

/** Dev auth mode: sign in as any user id (the server refuses this mode outside loopback hosts). */
export function DevSignIn({ notice, onSignedIn }: { readonly notice: string | undefined; readonly onSignedIn: () => void }) {
  const form = useForm<Values>({ defaultValues: { user_id: "" } });
  const createToken = useCreateDevToken();
  const field = useRef<HTMLInputElement | null>(null);
  const { ref, ...registration } = form.register("user_id", { validate: (value) => value.trim() !== "" || "Enter a user ID." });
  useEffect(() => field.current?.focus(), []);

  const onSubmit = form.handleSubmit(async ({ user_id }) => {
    try {
      const { token } = await createToken.mutateAsync(user_id.trim());
      keepDevToken(token);
      onSignedIn();
    } catch (error) {
      showServerError(form, error, ["user_id"]);
    }
  });

  return (
    <form noValidate onSubmit={(event) => void onSubmit(event)} className="sign-in-form">
      {notice !== undefined && <p className="notice notice-warning">{notice}</p>}
      <AlertRegion message={formAlert(form.formState.errors)} />
      <TextField
        label="User ID"
        hint="Development sign-in: any ID, for example user_2abc123xyz. Production deployments sign in with Clerk."
        autoComplete="username"
        spellCheck={false}
        autoCapitalize="off"
        error={fieldError(form.formState.errors, "user_id")}
        ref={(element) => {
          ref(element);
          field.current = element;
        }}
        {...registration}
      />
      <Button type="submit" variant="primary" busy={createToken.isPending} className="button-wide">
        Sign in
      </Button>
    </form>
  );
}
