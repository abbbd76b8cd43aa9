package org.charnwood.app.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.view.RedirectView;

/**
 * Gives every page form that is shown again with its problems the status that says it was not saved: 422 for
 * input the person must fix, 409 when the record changed meanwhile, 403 for a refusal best said beside the field
 * (an officer's review of their own doing) ({@link FormErrors#status()}). The pages
 * themselves only fill {@link FormErrors} and show the form; doing it here keeps them all alike, including those
 * written later. Access refusals never get this far: they are thrown as 403s and shown by the error page
 * ({@link PageRefusal}).
 *
 * <p>The status is set on the view to be rendered, not on the response, so the page audit (which runs before the
 * view, and reads a form shown again from the model) still records which fields were refused. A handler that
 * chose a status itself keeps it.
 */
@Configuration(proxyBeanMethods = false)
class RefusedForms implements HandlerInterceptor {

    @Bean
    WebMvcConfigurer refusedFormStatus() {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(RefusedForms.this);
            }
        };
    }

    @Override
    public void postHandle(HttpServletRequest request, HttpServletResponse response, Object handler,
                           ModelAndView view) {
        if (view == null || "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())
                || view.getStatus() != null || response.getStatus() >= 400 || redirect(view)) {
            return;
        }
        view.getModel().values().stream()
                .filter(v -> v instanceof FormErrors errors && !errors.isEmpty())
                .map(v -> ((FormErrors) v).status())
                .findFirst()
                .ifPresent(view::setStatus);
    }

    private static boolean redirect(ModelAndView view) {
        return view.getView() instanceof RedirectView
                || view.getViewName() != null && view.getViewName().startsWith("redirect:");
    }
}
