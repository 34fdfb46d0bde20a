import { useEffect, useRef } from "react";
import { Link } from "wouter";
import { paths } from "@/shared/paths";

export function NotFoundRoute() {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="card">
      <h1 ref={heading} tabIndex={-1}>
        Page not found
      </h1>
      <p className="lead">There is nothing at this address.</p>
      <p>
        <Link href={paths.home}>Go to your current step</Link>
      </p>
    </section>
  );
}
